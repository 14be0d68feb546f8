using System.Runtime.InteropServices;
using DciManager.Simulator;

if (args.Any(a => a is "-h" or "--help" or "-?"))
{
    Console.WriteLine(SimulatorCommandLine.Usage);
    return 0;
}

SimulatorOptions options;
try { options = SimulatorCommandLine.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SimulatorCommandLine.Usage);
    return 2;
}

SimulatorHost host;
try { host = await SimulatorHost.StartAsync(options); }
catch (IOException e)
{
    // Kestrel's bind failure ("address already in use") is the common case: one line, not a stack trace.
    Console.Error.WriteLine($"The simulator cannot listen on {options.Urls}: {e.Message}");
    return 1;
}
await using var running = host;
var url = host.BaseAddress.ToString().TrimEnd('/');
if (options.Platform == SimulatedPlatform.Imco)
{
    foreach (var line in DciManager.Simulator.Imco.ImcoBanner.Lines(host, options.Servers)) Console.WriteLine(line);
    Console.WriteLine($"Control endpoints: {(options.EnableControl ? "enabled (/_sim/*)" : "disabled")}");
}
else if (host.OpenDcim is { } openDcim)
{
    foreach (var line in DciManager.Simulator.OpenDcim.OpenDcimBanner.Lines(openDcim, url, options)) Console.WriteLine(line);
}
else if (options.Platform == SimulatedPlatform.DCImanager5)
{
    Console.WriteLine($"DCImanager 5 simulator listening on {url}/dcimgr (also {url}/manager/dcimgr)");
    Console.WriteLine($"Admin: {DciManager.Simulator.Dci5.Dci5Inferred.AdminName}");
    Console.WriteLine($"Password: {host.AdminPassword}");
    Console.WriteLine($"Users: user01 .. user08, password {options.UserPassword}");
    Console.WriteLine($"Servers: {host.State.Dci5!.ServerCount}; control endpoints: {(options.EnableControl ? "enabled (/_sim/*)" : "disabled")}");
    Console.WriteLine($"Session: {url}/dcimgr?func=auth&username={DciManager.Simulator.Dci5.Dci5Inferred.AdminName}&password=<password>&out=json, then auth=<doc.auth.$id>; or authinfo=<user>:<password> on every call");
    Console.WriteLine($"Connect-Dci -Platform DCImanager5 -Uri {url} -Credential (Get-Credential {DciManager.Simulator.Dci5.Dci5Inferred.AdminName}){(options.Https ? " -SkipCertificateCheck" : "")}");
}
else
{
    Console.WriteLine($"DCImanager 6 simulator listening on {url}");
    Console.WriteLine($"Admin: {host.AdminEmail}");
    Console.WriteLine($"Password: {host.AdminPassword}");
    Console.WriteLine($"Users: user01@example.com .. user08@example.com, password {options.UserPassword}");
    Console.WriteLine($"Servers: {host.State.ServerCount}; control endpoints: {(options.EnableControl ? "enabled (/_sim/*)" : "disabled")}");
    Console.WriteLine($"Connect-Dci -Uri {url} -Credential (Get-Credential {host.AdminEmail}){(options.Https ? " -SkipCertificateCheck" : "")}");
}
Console.WriteLine("Press Ctrl+C to stop.");

var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; done.TrySetResult(); });
await done.Task;
return 0;
