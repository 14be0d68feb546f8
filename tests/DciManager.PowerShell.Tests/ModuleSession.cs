using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using DciManager.Simulator;

namespace DciManager.PowerShell.Tests;

/// <summary>
/// A real PowerShell engine (System.Management.Automation, hosted in-process) with the module imported
/// from its manifest, next to a simulator on loopback. pwsh is not installed here; this runs the cmdlets
/// for real: parameter binding, pipelines, ShouldProcess, error records and streams.
/// </summary>
internal sealed class ModuleSession : IAsyncDisposable
{
    private ModuleSession(SimulatorHost simulator, Runspace runspace)
    {
        Simulator = simulator;
        Runspace = runspace;
    }

    public SimulatorHost Simulator { get; }

    public Runspace Runspace { get; }

    public static async Task<ModuleSession> StartAsync(SimulatorOptions? options = null, bool connect = true)
    {
        options ??= new SimulatorOptions();
        options.AdminPassword ??= "secret-admin-pw";
        options.OperationDuration ??= TimeSpan.FromMilliseconds(100);
        var simulator = await SimulatorHost.StartAsync(options);
        var runspace = OpenRunspace();
        runspace.SessionStateProxy.SetVariable("uri", simulator.BaseAddress.ToString());
        runspace.SessionStateProxy.SetVariable("cred", Credential(simulator.AdminEmail, simulator.AdminPassword));
        var session = new ModuleSession(simulator, runspace);
        if (connect) session.Run("Connect-Dci -Uri $uri -Credential $cred").ThrowOnError();
        return session;
    }

    public static Runspace OpenRunspace()
    {
        var state = InitialSessionState.CreateDefault2();
        var manifest = Path.Combine(Path.GetDirectoryName(TestPaths.ModuleAssembly)!, "DciManager.psd1");
        state.ImportPSModule(new[] { manifest });
        var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        return runspace;
    }

    public static PSCredential Credential(string user, string password)
    {
        var secure = new SecureString();
        foreach (var c in password) secure.AppendChar(c);
        secure.MakeReadOnly();
        return new PSCredential(user, secure);
    }

    public void Set(string name, object? value) => Runspace.SessionStateProxy.SetVariable(name, value);

    public RunResult Run(string script) => Run(Runspace, script);

    public static RunResult Run(Runspace runspace, string script)
    {
        using var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        Collection<PSObject> output;
        Exception? terminating = null;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            output = new Collection<PSObject>();
            terminating = ex;
        }
        return new RunResult(output.Select(o => o?.BaseObject is PSCustomObject ? o : o?.BaseObject).ToArray(), shell.Streams.Error.ToArray(),
            shell.Streams.Verbose.Select(v => v.Message).ToArray(), shell.Streams.Debug.Select(d => d.Message).ToArray(),
            shell.Streams.Warning.Select(w => w.Message).ToArray(), shell.Streams.Progress.ToArray(), terminating);
    }

    public async ValueTask DisposeAsync()
    {
        Runspace.Dispose();
        await Simulator.DisposeAsync();
    }
}

internal sealed record RunResult(object?[] Output, ErrorRecord[] Errors, string[] Verbose, string[] Debug, string[] Warnings,
    ProgressRecord[] Progress, Exception? Terminating)
{
    public RunResult ThrowOnError()
    {
        if (Terminating is not null) throw new Xunit.Sdk.XunitException("Terminating error: " + Terminating);
        if (Errors.Length > 0) throw new Xunit.Sdk.XunitException("Errors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return this;
    }

    public T[] Objects<T>() => Output.OfType<T>().ToArray();

    /// <summary>Non-terminating errors plus a terminating one (a script records a cmdlet's terminating error in the error stream).</summary>
    public ErrorRecord[] AllErrors => Errors.Concat(Terminating is IContainsErrorRecord c ? new[] { c.ErrorRecord } : Array.Empty<ErrorRecord>()).ToArray();

    public string AllText => string.Join("\n", Output.Select(o => o?.ToString()).Concat(Errors.Select(e => e.ToString() + " " + e.ErrorDetails?.Message + " " + e.Exception))
        .Concat(Verbose).Concat(Debug).Concat(Warnings).Append(Terminating?.ToString()));
}
