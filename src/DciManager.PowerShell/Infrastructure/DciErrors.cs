using System.Management.Automation;
using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>The one mapping from engine exceptions to ErrorRecords (architecture rule 6).</summary>
public static class DciErrors
{
    public static ErrorCategory CategoryForStatus(int httpStatus) => httpStatus switch
    {
        400 or 422 => ErrorCategory.InvalidArgument,
        401 => ErrorCategory.AuthenticationError,
        403 => ErrorCategory.PermissionDenied,
        404 => ErrorCategory.ObjectNotFound,
        405 => ErrorCategory.InvalidOperation,
        408 or 504 => ErrorCategory.OperationTimeout,
        409 => ErrorCategory.ResourceExists,
        429 or 503 => ErrorCategory.ResourceUnavailable,
        502 => ErrorCategory.ConnectionError,
        >= 500 => ErrorCategory.InvalidResult,
        _ => ErrorCategory.NotSpecified,
    };

    public static ErrorCategory CategoryForKind(DciErrorKind kind) => kind switch
    {
        DciErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        DciErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        DciErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        DciErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        DciErrorKind.Authentication => ErrorCategory.AuthenticationError,
        DciErrorKind.Unavailable => ErrorCategory.ResourceUnavailable,
        DciErrorKind.InvalidState => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.InvalidResult,
    };

    /// <summary>The one error for an operation the connection's platform lacks (written before anything is sent).</summary>
    public static ErrorRecord NotSupported(DciNotSupportedException exception, object? target) =>
        new(exception, "Dci.NotSupported", ErrorCategory.NotImplemented, target);

    /// <summary>
    /// Builds the record for an exception thrown by the engine. The error id becomes, after PowerShell
    /// appends the command, e.g. <c>Dci.Api.404,DciManager.Commands.GetDciServerCommand</c>.
    /// </summary>
    public static ErrorRecord FromException(Exception exception, object? target)
    {
        exception = Unwrap(exception);
        switch (exception)
        {
            case DciSessionExpiredException expired:
                return new ErrorRecord(expired, "Dci.SessionExpired", ErrorCategory.AuthenticationError, target)
                {
                    ErrorDetails = new ErrorDetails(expired.Message) { RecommendedAction = "Run Connect-Dci again, or connect with -Credential so the module can sign in again by itself." },
                };
            case DciApiException api:
                return new ErrorRecord(api, api.ErrorType is { } type ? $"Dci.Api.{type}" : $"Dci.Api.{api.HttpStatus}",
                    api.Kind is { } kind ? CategoryForKind(kind) : CategoryForStatus(api.HttpStatus), target)
                {
                    ErrorDetails = new ErrorDetails(api.Message),
                };
            case DciNotSupportedException notSupported:
                return NotSupported(notSupported, target);
            case DciOutcomeUnknownException unknown:
                return new ErrorRecord(unknown, "Dci.OutcomeUnknown", ErrorCategory.OperationTimeout, target)
                {
                    ErrorDetails = new ErrorDetails(unknown.Message) { RecommendedAction = "Check the object's state before trying again: the request may have been executed." },
                };
            case DciConnectionClosedException closed:
                return new ErrorRecord(closed, "Dci.ConnectionClosed", ErrorCategory.ConnectionError, target);
            case DciTransportException transport:
                return new ErrorRecord(transport, "Dci.Transport", ErrorCategory.ConnectionError, target);
            case DciException other:
                return new ErrorRecord(other, "Dci.Error", ErrorCategory.NotSpecified, target);
            case OperationCanceledException canceled:
                return new ErrorRecord(canceled, "Dci.Canceled", ErrorCategory.OperationStopped, target);
            case ArgumentException argument:
                return new ErrorRecord(argument, "Dci.InvalidArgument", ErrorCategory.InvalidArgument, target);
            case TimeoutException timeout:
                return new ErrorRecord(timeout, "Dci.Timeout", ErrorCategory.OperationTimeout, target);
            default:
                return new ErrorRecord(exception, "Dci.UnexpectedError", ErrorCategory.NotSpecified, target);
        }
    }

    /// <summary>A plain name or id the user asked for that the panel does not have (wildcards that match nothing stay silent).</summary>
    public static ErrorRecord NotFound(string what, object target) =>
        new(new ItemNotFoundException($"Cannot find {what}."), "Dci.NotFound", ErrorCategory.ObjectNotFound, target);

    public static ErrorRecord NotConnected() =>
        new(new InvalidOperationException("You are not connected to DCImanager. Run Connect-Dci first, or pass -Connection."),
            "Dci.NotConnected", ErrorCategory.ConnectionError, null);

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        return exception;
    }
}
