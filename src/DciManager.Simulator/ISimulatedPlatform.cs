using Microsoft.AspNetCore.Http;

namespace DciManager.Simulator;

/// <summary>
/// One simulated product (a mode of the simulator). The host runs the shared part of every request first
/// (the /_sim control endpoints, request counting, latency, injected faults) and hands the rest to the mode.
/// </summary>
internal interface ISimulatedPlatform
{
    /// <summary>Answers one request as the product would.</summary>
    Task ProcessAsync(HttpContext ctx, string path);

    /// <summary>Writes an injected failure (503 storm, 500) in the product's own error format.</summary>
    Task WriteFaultAsync(HttpContext ctx, int status, string message);

    /// <summary>What the command line prints at start: where it listens, the accounts, and how to connect.</summary>
    IEnumerable<string> Banner(SimulatorHost host, SimulatorOptions options);
}
