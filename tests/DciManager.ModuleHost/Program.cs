using System.Management.Automation;
using System.Management.Automation.Runspaces;

// Usage: DciManager.ModuleHost <module manifest> <panel uri> <user> <password>
// Imports the module, signs in, lists servers, and prints where Polly was loaded from.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: DciManager.ModuleHost <manifest> <uri> <user> <password>");
    return 2;
}

var state = InitialSessionState.CreateDefault2();
state.ImportPSModule(new[] { args[0] });
using var runspace = RunspaceFactory.CreateRunspace(state);
runspace.Open();
var password = new System.Net.NetworkCredential("", args[3]).SecurePassword;
runspace.SessionStateProxy.SetVariable("cred", new PSCredential(args[2], password));
runspace.SessionStateProxy.SetVariable("uri", args[1]);

using var shell = PowerShell.Create();
shell.Runspace = runspace;
shell.AddScript("""
    Connect-Dci -Uri $uri -Credential $cred
    "servers=$(@(Get-DciServer).Count)"
    $polly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' }
    foreach ($assembly in $polly) {
        "polly=$($assembly.Location)|$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name)"
    }
    "help=$((Get-Help Get-DciServer).Synopsis)"
    """);
foreach (var line in shell.Invoke()) Console.WriteLine(line);
foreach (var error in shell.Streams.Error) Console.WriteLine("error=" + error);
return shell.Streams.Error.Count == 0 ? 0 : 1;
