using System.Net;

namespace DciManager.Simulator.OpenDcim;

/// <summary>The non-JSON answers: Apache's own pages, Slim 3's 404/405/500 pages and the key middleware's plain text.</summary>
internal static class OpenDcimPages
{
    public const string ApacheContentType = "text/html; charset=iso-8859-1";
    public const string SlimHtmlContentType = "text/html;charset=UTF-8";
    public const string JsonContentType = "application/json;charset=utf-8";
    /// <summary>The key middleware writes its body without setting a type: PHP's default.</summary>
    public const string AccessDeniedContentType = "text/html; charset=UTF-8";
    public const string AccessDenied = "Access Denied";

    private const string SlimStyle =
        "<style>body{margin:0;padding:30px;font:12px/1.5 Helvetica,Arial,Verdana,sans-serif;}h1{margin:0;font-size:48px;font-weight:normal;line-height:48px;}strong{display:inline-block;width:65px;}</style>";

    public static string Apache(int status, string host, int port)
    {
        var (title, text) = status switch
        {
            401 => ("Unauthorized", "This server could not verify that you\nare authorized to access the document\nrequested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\nbrowser doesn't understand how to supply\nthe credentials required."),
            404 => ("Not Found", "The requested URL was not found on this server."),
            503 => ("Service Unavailable", "The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later."),
            500 => ("Internal Server Error", "The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request."),
            _ => (ReasonPhrase(status), "The server could not complete your request."),
        };
        return "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n" +
               $"<title>{status} {title}</title>\n</head><body>\n<h1>{title}</h1>\n<p>{text}</p>\n<hr>\n" +
               $"<address>{OpenDcimInferred.ApacheSignature} Server at {WebUtility.HtmlEncode(host)} Port {port}</address>\n</body></html>\n";
    }

    public static string SlimNotFound() =>
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>Page Not Found</title>" + SlimStyle +
        "</head><body><h1>Page Not Found</h1><p>The page you are looking for could not be found. Check the address bar to ensure your URL is spelled correctly. If all else fails, you can visit our home page at the link below.</p><a href='/api/v1/'>Visit the Home Page</a></body></html>";

    public static string SlimMethodNotAllowed(string allowed) =>
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>Method not allowed</title>" + SlimStyle +
        $"</head><body><h1>Method not allowed</h1><p>Method not allowed. Must be one of: <strong>{allowed}</strong></p></body></html>";

    /// <summary>Slim's error page with displayErrorDetails on: type, code, message, file, line and the stack trace.</summary>
    public static string SlimError(string type, string code, string message, string file, int line, IEnumerable<string> trace)
    {
        var frames = string.Join("\n", trace.Select((t, i) => $"#{i} {t}"));
        return "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>Slim Application Error</title>" + SlimStyle +
               "</head><body><h1>Slim Application Error</h1><p>The application could not run because of the following error:</p><h2>Details</h2>" +
               $"<div><strong>Type:</strong> {WebUtility.HtmlEncode(type)}</div><div><strong>Code:</strong> {WebUtility.HtmlEncode(code)}</div>" +
               $"<div><strong>Message:</strong> {WebUtility.HtmlEncode(message)}</div><div><strong>File:</strong> {WebUtility.HtmlEncode(file)}</div>" +
               $"<div><strong>Line:</strong> {line}</div><h2>Trace</h2><pre>{WebUtility.HtmlEncode(frames)}</pre></body></html>";
    }

    public static string DuplicateDepartment(string name) => SlimError("PDOException", "23000",
        $"SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry '{name}' for key 'Name'",
        "/var/www/opendcim/classes/Department.class.php", 112, new[]
        {
            "/var/www/opendcim/classes/Department.class.php(112): PDO->exec('INSERT INTO fac...')",
            "/var/www/opendcim/api/v1/putRoutes.php(183): Department->CreateDepartment()",
            "[internal function]: {closure}(Object(Slim\\Http\\Request), Object(Slim\\Http\\Response), Array)",
            "/var/www/opendcim/vendor/slim/slim/Slim/Handlers/Strategies/RequestResponse.php(40): call_user_func(Object(Closure), Object(Slim\\Http\\Request), Object(Slim\\Http\\Response), Array)",
            "/var/www/opendcim/vendor/slim/slim/Slim/Route.php(281): Slim\\Handlers\\Strategies\\RequestResponse->__invoke(Object(Closure), Object(Slim\\Http\\Request), Object(Slim\\Http\\Response), Array)",
            "/var/www/opendcim/vendor/slim/slim/Slim/App.php(370): Slim\\Route->run(Object(Slim\\Http\\Request), Object(Slim\\Http\\Response))",
            "/var/www/opendcim/api/v1/index.php(119): Slim\\App->run()",
            "{main}",
        });

    public static string InjectedError(string message) => SlimError("Exception", "0", message,
        "/var/www/opendcim/api/v1/index.php", 119, new[] { "/var/www/opendcim/vendor/slim/slim/Slim/App.php(370): Slim\\Route->run()", "{main}" });

    private static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request", 403 => "Forbidden", 502 => "Bad Gateway", 504 => "Gateway Timeout", _ => "Error",
    };
}
