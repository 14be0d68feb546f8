using System.Collections;
using System.Globalization;
using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Calls any DCImanager API path through the connection (auth headers, retries, error mapping included),
/// for what has no cmdlet yet. Returns the JSON response as objects.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DciRestMethod", SupportsShouldProcess = true)]
[OutputType(typeof(PSObject))]
public sealed class InvokeDciRestMethodCommand : DciCmdlet
{
    [Parameter]
    [ValidateSet("Get", "Post", "Delete")]
    public string Method { get; set; } = "Get";

    /// <summary>API path without the /api prefix, e.g. dci/v3/server or ip/v3/ippool/3.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidatePattern(@"^/?[A-Za-z0-9_]+/v\d+(/[^?#\s]*)?$")]
    public string Path { get; set; } = "";

    /// <summary>Query parameters, e.g. @{ where = "owner_email IS null"; limit = "0,10" }.</summary>
    [Parameter]
    public Hashtable? Query { get; set; }

    /// <summary>Request body: a hashtable, an object or JSON text.</summary>
    [Parameter]
    public object? Body { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var method = new HttpMethod(Method.ToUpperInvariant());
        var path = "";
        try { path = DciConnection.NormalizeApiPath(Path); }
        catch (ArgumentException ex) { ThrowParameterError(ex.Message, nameof(Path), Path); }
        var query = Query?.Cast<DictionaryEntry>().ToDictionary(
            e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!,
            e => e.Value is null ? null : Convert.ToString(e.Value is PSObject ps ? ps.BaseObject : e.Value, CultureInfo.InvariantCulture));

        System.Text.Json.Nodes.JsonNode? body = null;
        try { body = PowerShellJson.ToJson(Body); }
        catch (ArgumentException ex) { ThrowParameterError(ex.Message, nameof(Body), Body); }

        if (method != HttpMethod.Get && !ShouldProcess($"{connection.BaseUri} {path}", method.Method)) return;

        try
        {
            var response = Call(ct => connection.InvokeAsync(method, path, query, body, ct));
            WriteObject(PowerShellJson.ToPowerShell(response), enumerateCollection: false);
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, path);
        }
    }
}
