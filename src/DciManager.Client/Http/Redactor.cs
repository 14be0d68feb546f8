using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DciManager.Client.Http;

/// <summary>
/// The one place that hides secrets in anything the engine writes (trace lines, exception texts):
/// values of password/token/key/ses6/x-xsrf-token fields, cookie headers, and any known secret string.
/// </summary>
internal static class Redactor
{
    public const string Mask = "***";

    private static readonly HashSet<string> s_secretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "token", "key", "ses6", "x-xsrf-token", "cookie", "set-cookie",
        "authorization", "secret", "root_password", "new_password", "old_password", "session", "api_key", "apikey", "authinfo", "private_key",
    };

    public static bool IsSecretName(string name) =>
        s_secretNames.Contains(name) || name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase);

    private static readonly Regex s_jsonPair = new(
        "\"(?<name>[^\"\\\\]{1,64})\"\\s*:\\s*\"(?<value>(?:[^\"\\\\]|\\\\.)*)(?:\"|$)",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex s_keyValue = new(
        "(?<name>ses6|x-xsrf-token|token|password|key|cookie)(?<sep>\\s*[=:]\\s*)(?<value>[^;,&\\s\"']+)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled);

    /// <summary>The string values of secret-named fields (password, key, token ...) anywhere in a JSON body.</summary>
    public static List<string> SecretValuesIn(ReadOnlySpan<byte> json)
    {
        var found = new List<string>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        var secretField = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        secretField = IsSecretName(reader.GetString() ?? "");
                        break;
                    case JsonTokenType.String when secretField:
                        if (reader.GetString() is { Length: > 0 } value) found.Add(value);
                        break;
                    case JsonTokenType.StartObject:
                        secretField = false;
                        break;
                    case JsonTokenType.StartArray or JsonTokenType.EndArray:
                        // An array under a secret name (several keys): each string in it is a secret.
                        break;
                    default:
                        if (reader.CurrentDepth == 0) secretField = false;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the module only sends JSON it wrote, so there is nothing more to find.
        }
        return found;
    }

    /// <summary>Redacts a JSON text (falls back to pattern matching when it does not parse).</summary>
    public static string RedactJson(string? text, IEnumerable<string?>? knownSecrets = null)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        string result;
        try
        {
            var node = JsonNode.Parse(text);
            if (node is null) result = text;
            else
            {
                Walk(node);
                result = node.ToJsonString();
            }
        }
        catch (JsonException)
        {
            result = RedactText(text);
        }
        return RedactKnown(result, knownSecrets);
    }

    /// <summary>Redacts free text: JSON-looking pairs and key=value forms of secret names.</summary>
    public static string RedactText(string? text, IEnumerable<string?>? knownSecrets = null)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = s_jsonPair.Replace(text, m => IsSecretName(m.Groups["name"].Value)
            ? $"\"{m.Groups["name"].Value}\":\"{Mask}\""
            : m.Value);
        result = s_keyValue.Replace(result, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        return RedactKnown(result, knownSecrets);
    }

    /// <summary>A header value as it may be shown: cookies and token headers are masked entirely.</summary>
    public static string RedactHeader(string name, string value) => IsSecretName(name) ? Mask : value;

    /// <summary>Masks query parameters with secret names in a path-and-query string.</summary>
    public static string RedactUrl(string pathAndQuery, IEnumerable<string?>? knownSecrets = null)
    {
        var q = pathAndQuery.IndexOf('?');
        if (q < 0) return RedactKnown(pathAndQuery, knownSecrets);
        var sb = new StringBuilder(pathAndQuery.Length);
        sb.Append(pathAndQuery, 0, q + 1);
        var parts = pathAndQuery[(q + 1)..].Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) sb.Append('&');
            var eq = parts[i].IndexOf('=');
            var name = eq < 0 ? parts[i] : parts[i][..eq];
            sb.Append(eq >= 0 && IsSecretName(Uri.UnescapeDataString(name)) ? name + "=" + Mask : parts[i]);
        }
        return RedactKnown(sb.ToString(), knownSecrets);
    }

    /// <summary>Replaces every occurrence of each known secret (4 characters or more) with the mask.</summary>
    public static string RedactKnown(string text, IEnumerable<string?>? knownSecrets)
    {
        if (knownSecrets is null) return text;
        foreach (var secret in knownSecrets)
        {
            if (string.IsNullOrEmpty(secret) || secret.Length < 4) continue;
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret) text = text.Replace(escaped, Mask, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>
    /// A JSON object or array with every string value masked, for answers known to carry a secret whose field
    /// name may not be recognisable (e.g. a corrupted login answer). Numbers, booleans and structure stay.
    /// </summary>
    public static string MaskAllStrings(string json, IEnumerable<string?>? knownSecrets = null)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException) { return Mask; }
        if (root is not (JsonObject or JsonArray)) return Mask;
        void MaskStrings(JsonNode node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var name in obj.Select(p => p.Key).ToList())
                    {
                        if (obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String) obj[name] = Mask;
                        else if (obj[name] is { } child) MaskStrings(child);
                    }
                    break;
                case JsonArray arr:
                    for (var i = 0; i < arr.Count; i++)
                    {
                        if (arr[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String) arr[i] = Mask;
                        else if (arr[i] is { } child) MaskStrings(child);
                    }
                    break;
            }
        }
        MaskStrings(root);
        return RedactKnown(root.ToJsonString(), knownSecrets);
    }

    private static void Walk(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[name];
                    if (IsSecretName(name) && child is not JsonObject && child is not JsonArray && child is not null)
                        obj[name] = Mask;
                    else if (IsSecretName(name) && child is JsonArray)
                        obj[name] = Mask;
                    else if (child is not null)
                        Walk(child);
                }
                break;
            case JsonArray arr:
                foreach (var child in arr)
                    if (child is not null) Walk(child);
                break;
        }
    }

    /// <summary>Short single-line start of a body for messages: whitespace collapsed, redacted, cut at <paramref name="max"/>.</summary>
    public static string Snippet(string? body, int max = 200, IEnumerable<string?>? knownSecrets = null)
    {
        if (string.IsNullOrEmpty(body)) return "";
        var sb = new StringBuilder(Math.Min(body.Length, max * 2));
        var lastSpace = false;
        foreach (var ch in body)
        {
            if (char.IsWhiteSpace(ch) || char.IsControl(ch))
            {
                if (!lastSpace && sb.Length > 0) sb.Append(' ');
                lastSpace = true;
            }
            else
            {
                sb.Append(ch);
                lastSpace = false;
            }
            if (sb.Length >= max * 4) break;
        }
        var text = RedactText(sb.ToString().Trim(), knownSecrets);
        return text.Length > max ? text[..max] + "..." : text;
    }
}
