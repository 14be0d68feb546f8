using System.Text.Json;

namespace DciManager.Client;

/// <summary>Base of every exception the engine throws on purpose.</summary>
public class DciException : Exception
{
    public DciException(string message) : base(message) { }
    public DciException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>DCImanager answered with an error status, or with a body that cannot be understood.</summary>
public sealed class DciApiException : DciException
{
    public DciApiException(string message, int httpStatus, int? code, string serverMessage, JsonElement? value,
        string method, string path, string? responseSnippet = null, Exception? innerException = null)
        : base(message, innerException)
    {
        HttpStatus = httpStatus;
        Code = code;
        ServerMessage = serverMessage;
        Value = value;
        Method = method;
        Path = path;
        ResponseSnippet = responseSnippet;
    }

    /// <summary>The HTTP status (e.g. 404). 0 when no status applies.</summary>
    public int HttpStatus { get; }

    /// <summary>The <c>error.code</c> of the envelope (e.g. 4004), when the body had one.</summary>
    public int? Code { get; }

    /// <summary>The <c>error.msg</c> of the envelope, or a description of what came back.</summary>
    public string ServerMessage { get; }

    /// <summary>The <c>error.value</c> of the envelope (e.g. <c>{"field":"ip_name"}</c>).</summary>
    public JsonElement? Value { get; }

    public string Method { get; }

    /// <summary>The API path without prefix and query, e.g. <c>dci/v3/server/12</c>.</summary>
    public string Path { get; }

    /// <summary>Start of a body that was not the expected JSON (redacted, shortened).</summary>
    public string? ResponseSnippet { get; }

    /// <summary>The platform's own error type when it names one (DCImanager 5: value, exists, missed, access, auth, sys).</summary>
    public string? ErrorType { get; init; }

    /// <summary>What kind of refusal this is, for platforms whose errors do not travel as HTTP statuses (null: judge by <see cref="HttpStatus"/>).</summary>
    public DciErrorKind? Kind { get; init; }
}

/// <summary>A platform-neutral kind of refusal; error records take their category from it.</summary>
public enum DciErrorKind
{
    InvalidArgument,
    ResourceExists,
    NotFound,
    PermissionDenied,
    Authentication,
    Unavailable,
    ServerError,
    /// <summary>The object's current state does not allow the operation (IMCO: decommission a running server; a stalled wait).</summary>
    InvalidState,
}

/// <summary>The platform of the connection has no such operation; nothing was sent.</summary>
public sealed class DciNotSupportedException : DciException
{
    public DciNotSupportedException(DciPlatform platform, string operation)
        : base($"{operation} is not available on {platform}: the platform has no such operation, or this module does not serve it there yet. Nothing was sent.")
    {
        Platform = platform;
        Operation = operation;
    }

    public DciPlatform Platform { get; }
    public string Operation { get; }
}

/// <summary>
/// A request that changes state (POST) failed after it may have reached the server: it may or may not
/// have been executed, so it is not repeated automatically.
/// </summary>
public sealed class DciOutcomeUnknownException : DciException
{
    public DciOutcomeUnknownException(string method, string path, string whatHappened, Exception? innerException = null)
        : base($"The server may or may not have executed {method} {path}: {whatHappened}. Check the object's state before retrying.", innerException)
    {
        Method = method;
        Path = path;
        WhatHappened = whatHappened;
    }

    public string Method { get; }
    public string Path { get; }

    /// <summary>Short description, e.g. "connection reset", "no answer within 00:01:40".</summary>
    public string WhatHappened { get; }
}

/// <summary>The session token expired or was revoked and the connection holds no credential to sign in again.</summary>
public sealed class DciSessionExpiredException : DciException
{
    public const string DefaultMessage = "The DCImanager session has expired or was revoked. Run Connect-Dci again.";

    public DciSessionExpiredException(string? message = null, Exception? innerException = null)
        : base(message ?? DefaultMessage, innerException) { }
}

/// <summary>A request that is safe to repeat still failed on the transport after every allowed attempt.</summary>
public sealed class DciTransportException : DciException
{
    public DciTransportException(string method, string path, string whatHappened, int attempts, Exception? innerException = null)
        : base($"{method} {path} failed after {attempts} attempt{(attempts == 1 ? "" : "s")}: {whatHappened}.", innerException)
    {
        Method = method;
        Path = path;
        WhatHappened = whatHappened;
        Attempts = attempts;
    }

    public string Method { get; }
    public string Path { get; }
    public string WhatHappened { get; }
    public int Attempts { get; }
}

/// <summary>The connection was closed (Disconnect-Dci, or disposed) before or while a call used it.</summary>
public sealed class DciConnectionClosedException : DciException
{
    public DciConnectionClosedException(Uri panel, string method, string path, bool inFlight, Exception? innerException = null)
        : base(inFlight
            ? $"The connection to {panel} was closed while {method} {path} was waiting for its answer. Run Connect-Dci to go on."
            : $"The connection to {panel} was closed: {method} {path} was not sent. Run Connect-Dci to go on.", innerException)
    {
        Method = method;
        Path = path;
    }

    public string Method { get; }
    public string Path { get; }
}
