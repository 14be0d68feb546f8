using System.Text;
using System.Text.Json;
using DciManager.Client.Http;

namespace DciManager.Client.Platforms.Dci5;

/// <summary>
/// DCImanager 5 on the shared transport: every call is a form POST, the session (auth=) or the stateless
/// authinfo= travels in the body (never in the URL), and an expired session is an error doc of type auth in an HTTP 200.
/// </summary>
internal sealed class Dci5WirePolicy : DciWirePolicy
{
    private readonly string? _authInfo;

    /// <param name="authInfo">user:password for stateless calls; null for session auth.</param>
    public Dci5WirePolicy(string? authInfo) => _authInfo = authInfo;

    /// <summary>The form fields whose values are secrets (masked in traces and errors).</summary>
    public static readonly string[] SecretFields = { "auth", "authinfo", "password", "passwd", "confirm", "key" };

    public override void Authenticate(HttpRequestMessage message, DciRequest request, string? token)
    {
        // The session travels in the body (CreateBody); nothing in headers or the URL.
    }

    public override (byte[] Body, string MediaType)? CreateBody(DciRequest request, string? token)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in request.Form ?? new List<KeyValuePair<string, string>>()) Append(sb, name, value);
        if (request.Authenticated)
        {
            if (_authInfo is not null) Append(sb, "authinfo", _authInfo);
            else if (token is not null) Append(sb, "auth", token);
        }
        return (Encoding.UTF8.GetBytes(sb.ToString()), "application/x-www-form-urlencoded");
    }

    /// <summary>COREmanager answers json or XML (its own default, and what some panels and proxies send whatever was asked).</summary>
    public override bool IsReadableMediaType(string? mediaType) =>
        base.IsReadableMediaType(mediaType) || (mediaType is not null && (mediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)));

    private static void Append(StringBuilder sb, string name, string value)
    {
        if (sb.Length > 0) sb.Append('&');
        sb.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
    }

    public override bool IsSessionRejected(RawResponse raw)
    {
        // A stateless authinfo call has no session to renew: its auth error is reported as it is.
        if (_authInfo is not null || !raw.IsSuccess) return false;
        if (raw.IsParsed && raw.Parsed is Dci5StreamedDoc streamed) return Dci5Doc.Error(streamed.Doc) is { Type: "auth" };
        JsonElement answer;
        if (raw.IsParsed && raw.Parsed is JsonElement parsed) answer = parsed;
        else
        {
            try
            {
                answer = Dci5Answer.Read(raw.Body);
            }
            catch (Exception ex) when (ex is JsonException or System.Xml.XmlException) { return false; }
        }
        try
        {
            return Dci5Doc.Error(Dci5Doc.Root(answer)) is { Type: "auth" };
        }
        catch (JsonException) { return false; }
    }
}
