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
foreach (var line in host.Banner()) Console.WriteLine(line);
Console.WriteLine("Press Ctrl+C to stop.");

var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; done.TrySetResult(); });
await done.Task;
return 0;
