using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;
using DciManager.Client.Http;

namespace DciManager.Client.Platforms.OpenDcim;

/// <summary>
/// openDCIM on the shared transport: every call carries either HTTP Basic or the UserID/APIKey headers (no session,
/// no cookies: a PHP session would bypass the header check), bodies are JSON with their Content-Type (without it the
/// server silently ignores the body). A refused key is an HTTP 200 "Access Denied" page, judged by <see cref="OpenDcimClient"/>.
/// </summary>
internal sealed class OpenDcimWirePolicy : DciWirePolicy
{
    private readonly string? _userId;
    private readonly string? _apiKey;
    private readonly string? _basic;

    private OpenDcimWirePolicy(string? userId, string? apiKey, string? basic)
    {
        _userId = userId;
        _apiKey = apiKey;
        _basic = basic;
    }

    public static OpenDcimWirePolicy ForApiKey(string userId, string apiKey) => new(userId, apiKey, null);

    public static OpenDcimWirePolicy ForBasic(string user, string password) =>
        new(null, null, Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    /// <summary>The value of the Authorization header of Basic mode (a secret for redaction).</summary>
    public string? BasicValue => _basic;

    public override void Authenticate(HttpRequestMessage message, DciRequest request, string? token)
    {
        if (_basic is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Basic", _basic);
        else
        {
            message.Headers.TryAddWithoutValidation("UserID", _userId);
            message.Headers.TryAddWithoutValidation("APIKey", _apiKey);
        }
    }

    public override (byte[] Body, string MediaType)? CreateBody(DciRequest request, string? token) =>
        request.Body is { } body ? (body, "application/json") : null;

    // No session to renew: a refusal is reported as it is.
    public override bool IsSessionRejected(RawResponse raw) => false;

    /// <summary>
    /// openDCIM's refusals in their three shapes: its JSON envelope or Slim's <c>{"message"}</c>, an HTML page (Apache's
    /// 401, Slim's 404/405/500 with a stack trace) and, in API-key mode, an HTTP 200 "Access Denied" text page.
    /// </summary>
    public override DciPlatformError? ReadError(RawResponse raw)
    {
        var text = DecodeText(raw.Body);
        if (raw.IsSuccess)
        {
            // A 2xx is data only as JSON: the key middleware's refusal is a bare text page with status 200.
            if (IsJson(raw.MediaType) || !text.Trim().StartsWith("Access Denied", StringComparison.OrdinalIgnoreCase)) return null;
            return new DciPlatformError("Access Denied: openDCIM refused the UserID/APIKey (wrong key, unknown or disabled user)",
                DciErrorKind.Authentication, "AccessDenied");
        }
        if (IsJson(raw.MediaType) || text.TrimStart().StartsWith('{'))
        {
            var message = JsonMessage(raw.Body);
            // A JSON 401 comes from openDCIM itself: the user is known but lacks the right (POST by a read-only user).
            return new DciPlatformError(message ?? $"HTTP {raw.Status}", KindOf(raw.Status, fromApplication: true));
        }
        return new DciPlatformError(HtmlMessage(text) ?? $"HTTP {raw.Status}", KindOf(raw.Status, fromApplication: false));
    }

    private static DciErrorKind? KindOf(int status, bool fromApplication) => status switch
    {
        400 => DciErrorKind.InvalidArgument,
        401 => fromApplication ? DciErrorKind.PermissionDenied : DciErrorKind.Authentication,
        403 => DciErrorKind.PermissionDenied,
        404 => DciErrorKind.NotFound,
        409 => DciErrorKind.ResourceExists,
        429 or 503 => DciErrorKind.Unavailable,
        >= 500 => DciErrorKind.ServerError,
        _ => null,
    };

    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static string DecodeText(byte[] body)
    {
        try { return new UTF8Encoding(false, true).GetString(body); }
        catch (DecoderFallbackException) { return Encoding.Latin1.GetString(body); }
    }

    private static string? JsonMessage(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m))
                return m.ValueKind == JsonValueKind.String ? m.GetString() : m.GetRawText();
        }
        catch (JsonException) { }
        return null;
    }

    /// <summary>Slim's error page names the message in a "Message:" line; other pages say it in their title and first paragraph.</summary>
    private static string? HtmlMessage(string html)
    {
        var detail = Regex.Match(html, @"<strong>Message:</strong>\s*(?<m>.*?)</div>", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        var title = Regex.Match(html, @"<title>(?<m>.*?)</title>", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        var paragraph = Regex.Match(html, @"<p>(?<m>.*?)</p>", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        string? text = detail.Success
            ? (title.Success ? Clean(title.Groups["m"].Value) + ": " : "") + Clean(detail.Groups["m"].Value)
            : title.Success ? Clean(title.Groups["m"].Value) + (paragraph.Success ? ": " + Clean(paragraph.Groups["m"].Value) : "")
            : Clean(html);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Length > 300 ? text[..300] + "..." : text;
    }

    private static string Clean(string html) =>
        Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]*>", " ")), @"\s+", " ").Trim();
}
