using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.Commands;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// Base of the IMCO-only cmdlets: the connection's IMCO client, the one way Get-* cmdlets pick by -Id or -Name, the
/// servers a cmdlet was given (objects or ids), and the one state wait (<see cref="WaitForServers"/>).
/// </summary>
public abstract class ImcoCmdlet : DciCmdlet
{
    internal ImcoClient Imco(DciConnection connection) => connection.Imco!;

    /// <summary>
    /// A Get-* cmdlet's output: with ids, each one read by GET {collection}/{id} (an unknown id is an ObjectNotFound
    /// record, the others go on); otherwise the list, narrowed to names matching <paramref name="names"/> (wildcards,
    /// ignoring case; a plain name that matches nothing is an ObjectNotFound record) and to <paramref name="keep"/>.
    /// </summary>
    internal void WriteResources<T>(DciConnection connection, string what, string[]? ids, string[]? names,
        Func<CancellationToken, IAsyncEnumerable<T>> list, Func<string, CancellationToken, Task<T>> get, Func<T, string?> nameOf,
        Func<T, bool>? keep = null) where T : DciObject
    {
        if (ids is { Length: > 0 })
        {
            foreach (var id in ids.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                T item;
                try { item = Call(ct => get(id, ct)); }
                catch (DciException ex) { WriteEngineError(ex, id); continue; }
                if (keep is null || keep(item)) WriteObject(item);
            }
            return;
        }
        var patterns = DciWildcardList.For("name", names);
        WriteList(list, x => (patterns?.Matches(nameOf(x)) ?? true) && (keep is null || keep(x)));
        foreach (var missing in patterns?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a {what} named '{missing}' on {connection.PanelAddress}", missing));
    }

    /// <summary>ShouldProcess, unless <paramref name="force"/> says to go ahead; -WhatIf always only tells (and sends nothing).</summary>
    internal bool ConfirmChange(string target, string action, bool force) =>
        (force && !WhatIfRequested()) || ShouldProcess(target, action);

    private bool WhatIfRequested()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)) return whatIf is SwitchParameter { IsPresent: true };
        return GetVariableValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;
    }

    /// <summary>
    /// The servers a cmdlet was given: DciCloudServer objects (each on the connection it came from) or ids (on -Connection
    /// or the default one), in that order.
    /// </summary>
    internal IEnumerable<(DciConnection Connection, string Id, object Target)> ServerTargets(DciCloudServer[]? servers, string[]? serverIds)
    {
        foreach (var server in servers ?? Array.Empty<DciCloudServer>())
        {
            if (server is null) continue;
            var connection = ResolveConnection(server.Connection is null ? null : server);
            if (string.IsNullOrEmpty(server.Id))
            {
                WriteError(new ErrorRecord(new ArgumentException($"The server '{server}' has no Id."), "Dci.InvalidParameter", ErrorCategory.InvalidArgument, server));
                continue;
            }
            yield return (connection, server.Id, server);
        }
        if (serverIds is { Length: > 0 })
        {
            var connection = ResolveConnection();
            foreach (var id in serverIds) yield return (connection, id, id);
        }
    }

    /// <summary>
    /// The resources a cmdlet was given: objects (each on the connection it came from) or ids (on -Connection or the
    /// default one), with the label ShouldProcess shows.
    /// </summary>
    internal IEnumerable<(DciConnection Connection, string Id, object Target, string Label)> ResourceTargets<T>(T[]? items, string[]? ids, string what)
        where T : DciObject, IImcoResource
    {
        foreach (var item in items ?? Array.Empty<T>())
        {
            if (item is null) continue;
            yield return (ResolveConnection(item.Connection is null ? null : item), item.Id ?? "", item, $"{what} {item.Name} ({item.Id})");
        }
        if (ids is { Length: > 0 })
        {
            var connection = ResolveConnection();
            foreach (var id in ids) yield return (connection, id, id, $"{what} {id}");
        }
    }

    /// <summary>The error for a server object from another connection than the resource it is to be attached to, else null.</summary>
    internal static ErrorRecord? ServerMismatch(DciConnection connection, DciCloudServer server)
    {
        if (server.Connection is not { } own || ReferenceEquals(own, connection)) return null;
        return new ErrorRecord(new InvalidOperationException($"The server '{server}' came from {own}, not from {connection}: a server and what is attached to it must be on one IMCO."),
            "Dci.ConnectionMismatch", ErrorCategory.InvalidArgument, server);
    }

    /// <summary>
    /// Waits for servers with the engine's one state wait (one GET cloud/servers per poll for all of them, per connection),
    /// showing progress, and writes each server as it reaches its end: done ones as output, failed and timed-out ones as
    /// error records naming the server and its state.
    /// </summary>
    internal void WaitForServers(IEnumerable<(DciConnection Connection, string Id)> servers, string activity, Func<DciCloudServer, bool> isDone,
        Func<DciCloudServer, string?> failedBecause, TimeSpan timeout, bool goneIsDone = false, bool writeDone = true)
    {
        const int progressId = 3;
        foreach (var group in servers.GroupBy(s => s.Connection))
        {
            var ids = group.Select(s => s.Id).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            void Progress(int finished, int total) => Pump.Post(() => WriteProgress(new ProgressRecord(progressId, activity, $"{finished} of {total} finished")
            {
                PercentComplete = total == 0 ? 100 : 100 * finished / total,
            }));
            try
            {
                foreach (var result in Pump.Enumerate(ct => TracedEnumerable(c =>
                             Imco(group.Key).WaitForServersAsync(ids, isDone, failedBecause, timeout, Progress, goneIsDone, c), ct)))
                {
                    object target = result.Server ?? (object)result.Id;
                    switch (result.Outcome)
                    {
                        case DciWaitOutcome.Completed:
                            if (writeDone && result.Server is { } server) WriteObject(server);
                            break;
                        case DciWaitOutcome.TimedOut:
                            // Still moving at the timeout: the outcome is unknown, as for task waits.
                            WriteError(new ErrorRecord(new TimeoutException(result.Error?.Message ?? $"Server {result.Id} did not finish within {timeout}; its outcome is unknown."),
                                "Dci.WaitTimeout", ErrorCategory.OperationTimeout, target));
                            break;
                        default:
                            WriteEngineError(result.Error ?? new DciException($"Server {result.Id} did not finish."), target);
                            break;
                    }
                }
            }
            catch (DciException ex)
            {
                WriteEngineError(ex, ids);
            }
        }
        WriteProgress(new ProgressRecord(progressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
    }
}

/// <summary>Lets a -Server parameter take a DciCloudServer or its id (24 hex characters, checked while parameters bind).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DciCloudServerTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is not string text) return value;
        try { return new DciCloudServer { Id = ImcoId.Validate(text, "server") }; }
        catch (ArgumentException ex) { throw new ArgumentTransformationMetadataException(ex.Message.Split(" (Parameter", 2)[0], ex); }
    }
}

/// <summary>Checks IMCO ids (24 hex characters) while parameters bind, so a bad id is refused before any request.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateImcoIdAttribute : ValidateEnumeratedArgumentsAttribute
{
    private readonly string _what;

    public ValidateImcoIdAttribute(string what) => _what = what;

    protected override void ValidateElement(object element)
    {
        try
        {
            ImcoId.Validate(element as string ?? element?.ToString() ?? "", _what);
        }
        catch (ArgumentException ex)
        {
            throw new ValidationMetadataException(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}
