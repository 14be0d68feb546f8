using System.Net.Http.Headers;

namespace DciManager.Client.Http;

/// <summary>
/// What a platform plugs into the one shared transport: how a request carries the session and its body, and
/// how an answer says the session was refused. Retries, bounds, tracing and redaction stay in <see cref="DciTransport"/>.
/// </summary>
internal abstract class DciWirePolicy
{
    /// <summary>Adds the session to the request (headers, or the body via <see cref="CreateBody"/>).</summary>
    public abstract void Authenticate(HttpRequestMessage message, DciRequest request, string? token);

    /// <summary>The body bytes and their media type for one attempt (null: no body).</summary>
    public abstract (byte[] Body, string MediaType)? CreateBody(DciRequest request, string? token);

    /// <summary>True when the answer says the session expired or was refused, so a re-login may help.</summary>
    public abstract bool IsSessionRejected(RawResponse raw);

    /// <summary>
    /// The platform's own reading of an answer that is a refusal: an error status whose body the common envelope
    /// does not fit, or a 2xx that is not data (openDCIM's "Access Denied" page). Null: the common reading.
    /// </summary>
    public virtual DciPlatformError? ReadError(RawResponse raw) => null;

    /// <summary>Whether a success with this Content-Type is data the platform's reader takes (JSON here; DCImanager 5 also XML).</summary>
    public virtual bool IsReadableMediaType(string? mediaType) => DciTransport.IsJsonMediaType(mediaType);
}

/// <summary>A refusal as the platform words it: the server's message, its kind, and the platform's error type if any.</summary>
internal sealed record DciPlatformError(string Message, DciErrorKind? Kind, string? ErrorType = null);

/// <summary>DCImanager 6: the session in the ses6 cookie and x-xsrf-token header, JSON bodies, 401 for an expired session.</summary>
internal sealed class Dci6WirePolicy : DciWirePolicy
{
    public static readonly Dci6WirePolicy Instance = new();
    private static readonly byte[] s_emptyObject = "{}"u8.ToArray();

    public override void Authenticate(HttpRequestMessage message, DciRequest request, string? token)
    {
        if (request.Authenticated && token is not null)
        {
            message.Headers.TryAddWithoutValidation("Cookie", "ses6=" + token);
            message.Headers.TryAddWithoutValidation("x-xsrf-token", token);
        }
        message.Headers.TryAddWithoutValidation("isp-box-instance", "true");
    }

    public override (byte[] Body, string MediaType)? CreateBody(DciRequest request, string? token)
    {
        var body = request.Body ?? (request.Method == HttpMethod.Post ? s_emptyObject : null);
        return body is null ? null : (body, "application/json");
    }

    public override bool IsSessionRejected(RawResponse raw) => raw.Status == 401;
}
