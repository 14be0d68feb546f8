using System.Collections.Concurrent;
using System.Net;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

/// <summary>Collects trace lines (thread-safe).</summary>
internal sealed class CapturingSink : IDciTraceSink
{
    public ConcurrentQueue<string> VerboseLines { get; } = new();
    public ConcurrentQueue<string> DebugLines { get; } = new();
    public void Verbose(string message) => VerboseLines.Enqueue(message);
    public void Debug(string message) => DebugLines.Enqueue(message);
    public IEnumerable<string> All => VerboseLines.Concat(DebugLines);
}

internal static class Sim
{
    public const string AdminPassword = "s3cret-Adm1n-pw";
    public const string UserPassword = "user-password";

    public static Task<SimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions
        {
            Servers = 48,
            AdminPassword = AdminPassword,
            OperationDuration = TimeSpan.FromMilliseconds(100),
            EnableControl = true,
        };
        configure?.Invoke(options);
        return SimulatorHost.StartAsync(options);
    }

    public static DciConnectionOptions Options(SimulatorHost sim, Func<DciConnectionOptions, DciConnectionOptions>? change = null, int pageSize = 500,
        TimeSpan? timeout = null, int maxTransient = 4, TimeSpan? suspendedMaxWait = null, bool skipCert = false)
    {
        var o = new DciConnectionOptions
        {
            BaseUri = sim.BaseAddress,
            PageSize = pageSize,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            SkipCertificateCheck = skipCert,
            Retry = new DciRetryOptions
            {
                BaseDelay = TimeSpan.FromMilliseconds(10),
                MaxDelay = TimeSpan.FromMilliseconds(100),
                MaxTransientAttempts = maxTransient,
                SuspendedMaxWait = suspendedMaxWait ?? TimeSpan.FromSeconds(10),
            },
        };
        return change is null ? o : change(o);
    }

    public static Task<DciConnection> AdminAsync(SimulatorHost sim, int pageSize = 500, TimeSpan? timeout = null, int maxTransient = 4,
        TimeSpan? suspendedMaxWait = null) =>
        DciConnection.ConnectAsync(Options(sim, pageSize: pageSize, timeout: timeout, maxTransient: maxTransient, suspendedMaxWait: suspendedMaxWait),
            new NetworkCredential(sim.AdminEmail, sim.AdminPassword));

    public static Task<DciConnection> UserAsync(SimulatorHost sim, string email = "user01@example.com") =>
        DciConnection.ConnectAsync(Options(sim), new NetworkCredential(email, UserPassword));

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source, CancellationToken ct = default)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(ct)) list.Add(item);
        return list;
    }

    public static int LedgerCount(SimulatorHost sim, int serverId, string operation) =>
        sim.State.Ledger.Count(e => e.ServerId == serverId && e.Operation == operation);
}
