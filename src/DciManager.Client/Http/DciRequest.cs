using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DciManager.Client.Http;

/// <summary>One logical API call (replayed as is by retries and after a re-login).</summary>
internal sealed class DciRequest
{
    public DciRequest(HttpMethod method, string path)
    {
        Method = method;
        Path = NormalizePath(path);
    }

    public HttpMethod Method { get; }

    /// <summary>Service path without prefix, e.g. "dci/v3/server/12".</summary>
    public string Path { get; }

    public List<KeyValuePair<string, string>> Query { get; } = new();

    /// <summary>UTF-8 JSON body (POST); cleared after the call because it may hold a password.</summary>
    public byte[]? Body { get; set; }

    /// <summary>Form fields of a form-RPC platform (DCImanager 5), encoded by the platform's wire policy on each attempt.</summary>
    public List<KeyValuePair<string, string>>? Form { get; set; }

    /// <summary>False for the login calls themselves.</summary>
    public bool Authenticated { get; init; } = true;

    /// <summary>A POST that may be repeated without harm (password login): transport failures are retried like a GET.</summary>
    public bool SafeToRepeat { get; init; }

    /// <summary>
    /// The answer carries a secret (login token, API token, login key): a body that cannot be parsed, and so
    /// cannot be redacted field by field, is never quoted in errors or traces.
    /// </summary>
    public bool AnswerHoldsSecret { get; init; }

    public bool IsIdempotent => SafeToRepeat || Method == HttpMethod.Get || Method == HttpMethod.Delete || Method == HttpMethod.Head;

    public DciRequest With(string name, string? value)
    {
        if (value is not null) Query.Add(new(name, value));
        return this;
    }

    public DciRequest WithJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        Body = buffer.ToArray();
        return this;
    }

    /// <summary>Path and query as sent, relative to the API prefix.</summary>
    public string PathAndQuery()
    {
        if (Query.Count == 0) return Path;
        var sb = new StringBuilder(Path).Append('?');
        for (var i = 0; i < Query.Count; i++)
        {
            if (i > 0) sb.Append('&');
            sb.Append(Escape(Query[i].Key)).Append('=').Append(Escape(Query[i].Value));
        }
        return sb.ToString();
    }

    /// <summary>Percent-encodes a query component, keeping ',' readable (as in limit=0,500).</summary>
    private static string Escape(string s) => Uri.EscapeDataString(s).Replace("%2C", ",", StringComparison.Ordinal);

    internal static string NormalizePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        path = path.Trim();
        if (path.Contains("://", StringComparison.Ordinal)) throw new ArgumentException("Give a path relative to the API, e.g. 'dci/v3/server'.", nameof(path));
        path = path.TrimStart('/');
        // The session cookie goes with every request: a path must stay under the API prefix. "." and ".."
        // segments (also percent-encoded), backslashes and empty segments would be resolved by the URI or a proxy.
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            string decoded;
            try { decoded = Uri.UnescapeDataString(segment); } catch (UriFormatException) { decoded = segment; }
            if (decoded is "." or ".." || decoded.Contains('\\') || decoded.Contains('/') || (segment.Length == 0 && i < segments.Length - 1))
                throw new ArgumentException($"The path '{path}' leaves the API (a '.', '..', '\\' or empty segment); give a path under it, e.g. 'dci/v3/server/12'.", nameof(path));
        }
        return path;
    }

    internal static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    internal static string Segment(string value) => Uri.EscapeDataString(value);
}
