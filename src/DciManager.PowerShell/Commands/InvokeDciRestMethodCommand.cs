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
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.Imco)]
[Cmdlet(VerbsLifecycle.Invoke, "DciRestMethod", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject))]
public sealed class InvokeDciRestMethodCommand : DciCmdlet
{
    [Parameter]
    [ValidateSet("Get", "Post", "Put", "Patch", "Delete")]
    public string Method { get; set; } = "Get";

    /// <summary>API path without the /api prefix, e.g. dci/v3/server or ip/v3/ippool/3; on IMCO relative to /vN, e.g. cloud/servers.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [ValidatePattern(@"^/?[A-Za-z0-9_]+(/[^?#\s]*)?$")]
    public string Path { get; set; } = "";

    /// <summary>A DCImanager 5 function, e.g. server.edit (the connection adds func, out=json and the session).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FunctionSet)]
    [ValidatePattern(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")]
    public string Function { get; set; } = "";

    /// <summary>The function's parameters, e.g. @{ elid = 5 } or @{ elid = 5; sok = 'ok'; name = 'web01' }; sent in the POST body.</summary>
    [Parameter(ParameterSetName = FunctionSet)]
    public Hashtable? Parameter { get; set; }

    private static readonly System.Text.RegularExpressions.Regex DciServicePath = new(@"^[A-Za-z0-9_]+/v\d+(/[^?#\s]*)?$");

    private const string PathSet = "Path";
    private const string FunctionSet = "Function";

    /// <summary>Query parameters, e.g. @{ where = "owner_email IS null"; limit = "0,10" }.</summary>
    [Parameter]
    public Hashtable? Query { get; set; }

    /// <summary>Request body: a hashtable, an object or JSON text.</summary>
    [Parameter]
    public object? Body { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (ParameterSetName == FunctionSet)
        {
            InvokeFunction(connection);
            return;
        }
        RequirePlatform(connection, "Invoke-DciRestMethod -Path (DCImanager 5 takes -Function)", new[] { DciPlatform.DCImanager6, DciPlatform.Imco });
        var method = new HttpMethod(Method.ToUpperInvariant());
        var path = "";
        try { path = DciConnection.NormalizeApiPath(Path); }
        catch (ArgumentException ex) { ThrowParameterError(ex.Message, nameof(Path), Path); }
        // DCImanager paths name their service and version (dci/v3/...); IMCO's are relative to the connection's /vN.
        if (connection.Platform != DciPlatform.Imco && !DciServicePath.IsMatch(path))
            ThrowParameterError($"'{Path}' is not a DCImanager API path: give <service>/v<N>/..., e.g. dci/v3/server.", nameof(Path), Path);
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
            // A bare JSON array (IMCO's lists) goes down the pipeline item by item, as Invoke-RestMethod does.
            WriteObject(PowerShellJson.ToPowerShell(response), enumerateCollection: response.ValueKind == System.Text.Json.JsonValueKind.Array);
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, path);
        }
    }

    /// <summary>-Function on DCImanager 5: one form POST, and the doc without its envelope.</summary>
    private void InvokeFunction(DciConnection connection)
    {
        if (connection.Dci5 is not { } dci5)
        {
            RequirePlatform(connection, "Invoke-DciRestMethod -Function (a DCImanager 5 function call)", new[] { DciPlatform.DCImanager5 });
            return;
        }
        foreach (var name in new[] { nameof(Query), nameof(Body) })
            if (MyInvocation.BoundParameters.ContainsKey(name)) ThrowParameterError($"-{name} applies to -Path; give a function's parameters with -Parameter.", name, null);
        var parameters = (Parameter?.Cast<DictionaryEntry>() ?? Enumerable.Empty<DictionaryEntry>()).ToDictionary(
            e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!,
            e => e.Value is null ? null : Convert.ToString(e.Value is PSObject ps ? ps.BaseObject : e.Value, CultureInfo.InvariantCulture),
            StringComparer.Ordinal);
        foreach (var reserved in new[] { "func", "out", "auth", "authinfo" })
            if (parameters.ContainsKey(reserved)) ThrowParameterError($"'{reserved}' is set by the connection; leave it out of -Parameter.", nameof(Parameter), reserved);
        var changes = parameters.ContainsKey("sok") || (Function.Contains('.') && !Function.EndsWith(".edit", StringComparison.Ordinal));
        if (changes && !ShouldProcess($"{connection.PanelAddress} {Function}", "Call")) return;
        try
        {
            var doc = Call(ct => dci5.InvokeAsync(Function, parameters, ct));
            WriteObject(PowerShellJson.ToPowerShell(doc), enumerateCollection: false);
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, Function);
        }
    }
}
