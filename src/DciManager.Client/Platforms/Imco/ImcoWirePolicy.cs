using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using DciManager.Client.Http;

namespace DciManager.Client.Platforms.Imco;

/// <summary>
/// IMCO on the shared transport: no header carries the identity (the client certificate in the TLS handshake is the
/// authentication), JSON bodies on POST/PUT/DELETE (<c>{}</c> when none is given), GET without a body, and its three error
/// shapes (other-seed-apis.md 3.3): <c>{"errors":{"field":["m1","m2"]}}</c>, <c>{"error":"msg"}</c>, or raw text.
/// </summary>
internal sealed class ImcoWirePolicy : DciWirePolicy
{
    private static readonly byte[] s_emptyObject = "{}"u8.ToArray();

    /// <summary>What an error message quotes of a raw-text body at most.</summary>
    internal const int MaxMessageChars = 500;

    private readonly X509Certificate2 _certificate;

    public ImcoWirePolicy(X509Certificate2 certificate) => _certificate = certificate;

    public override void Authenticate(HttpRequestMessage message, DciRequest request, string? token)
    {
        // Nothing to add: the certificate travels in the handshake.
    }

    public override (byte[] Body, string MediaType)? CreateBody(DciRequest request, string? token)
    {
        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head) return null;
        return (request.Body ?? s_emptyObject, "application/json");
    }

    // No session: a refused certificate is reported, never "signed in again".
    public override bool IsSessionRejected(RawResponse raw) => false;

    public override DciPlatformError? ReadError(RawResponse raw)
    {
        if (raw.Status < 300) return null;
        var message = Message(raw.Body);
        var kind = KindOf(raw.Status);
        if (raw.Status is 401 or 403)
            message = $"{message ?? $"HTTP {raw.Status}"} (the client certificate offered: {DciTransport.DescribeCertificate(_certificate)})";
        return new DciPlatformError(message ?? $"HTTP {raw.Status} with an empty body", kind);
    }

    internal static DciErrorKind? KindOf(int status) => status switch
    {
        400 or 422 => DciErrorKind.InvalidArgument,
        401 or 403 => DciErrorKind.Authentication,
        404 => DciErrorKind.NotFound,
        409 => DciErrorKind.ResourceExists,
        429 or 503 => DciErrorKind.Unavailable,
        >= 500 => DciErrorKind.ServerError,
        _ => null,
    };

    /// <summary>The body's words: every field message of an <c>errors</c> object, the <c>error</c> string, else the text itself.</summary>
    internal static string? Message(byte[] body)
    {
        if (body.Length == 0) return null;
        var text = Decode(body);
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(body.AsMemory(Bom(body)), new JsonDocumentOptions { MaxDepth = 16 });
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("errors", out var errors) && FieldMessages(errors) is { Length: > 0 } fields) return Clean(fields);
                    if (root.TryGetProperty("error", out var error))
                    {
                        var m = error.ValueKind == JsonValueKind.String ? error.GetString() : error.ValueKind is JsonValueKind.Null ? null : error.GetRawText();
                        if (!string.IsNullOrWhiteSpace(m)) return Clean(m);
                    }
                }
            }
            catch (JsonException) { }
        }
        return string.IsNullOrWhiteSpace(text) ? null : Clean(text);
    }

    private static string FieldMessages(JsonElement errors)
    {
        if (errors.ValueKind == JsonValueKind.String) return errors.GetString() ?? "";
        if (errors.ValueKind == JsonValueKind.Array) return string.Join("; ", errors.EnumerateArray().Select(Text));
        if (errors.ValueKind != JsonValueKind.Object) return "";
        var parts = new List<string>();
        foreach (var field in errors.EnumerateObject())
        {
            var messages = field.Value.ValueKind == JsonValueKind.Array
                ? string.Join(", ", field.Value.EnumerateArray().Select(Text))
                : Text(field.Value);
            parts.Add($"{field.Name}: {messages}");
        }
        return string.Join("; ", parts);
    }

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText();

    private static int Bom(byte[] body) => body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0;

    private static string Decode(byte[] body)
    {
        try { return new UTF8Encoding(false, true).GetString(body, Bom(body), body.Length - Bom(body)); }
        catch (DecoderFallbackException) { return Encoding.Latin1.GetString(body); }
    }

    /// <summary>One line, no control characters (a terminal escape in an error body must not reach the console), bounded.</summary>
    private static string Clean(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxMessageChars + 3));
        var space = false;
        foreach (var ch in text)
        {
            if (sb.Length >= MaxMessageChars) { sb.Append("..."); break; }
            if (char.IsControl(ch) || char.IsWhiteSpace(ch) || char.GetUnicodeCategory(ch) == System.Globalization.UnicodeCategory.Format)
            {
                if (!space && sb.Length > 0) sb.Append(' ');
                space = true;
                continue;
            }
            sb.Append(ch);
            space = false;
        }
        return sb.ToString().Trim();
    }
}
