using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.PowerShell.Completers;

/// <summary>
/// Shared completion logic: find the connection the command line will use (its -Connection, else the
/// runspace default), take the cached list, and offer the entries that start with what was typed.
/// </summary>
public abstract class DciCompleter : IArgumentCompleter
{
    private protected abstract string Kind { get; }

    private protected abstract IAsyncEnumerable<CompletionItem> Load(DciConnection connection, CancellationToken ct);

    private protected static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Also offer entries whose description contains the typed text (e.g. a server name for an id).</summary>
    private protected virtual bool MatchDescription => false;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = (fakeBoundParameters["Connection"] is PSObject ps ? ps.BaseObject : fakeBoundParameters["Connection"]) as DciConnection
                         ?? DciConnectionStore.Current.Default;
        if (connection is null) return Array.Empty<CompletionResult>();

        var typed = (wordToComplete ?? "").Trim('\'', '"');
        var items = DciCompletionCache.Get(connection, Kind, Load);
        return items
            .Where(i => i.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                        || (MatchDescription && i.Description.Contains(typed, StringComparison.OrdinalIgnoreCase)))
            .Take(500)
            .Select(i => new CompletionResult(Quote(i.Value), i.Value, CompletionResultType.ParameterValue, i.Description));
    }

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '*')
            ? value
            : "'" + value.Replace("'", "''") + "'";
}

/// <summary>A completer over one kind of DCImanager object: how to list them and how each one reads in the list.</summary>
public abstract class DciCompleter<T> : DciCompleter
{
    private protected abstract IAsyncEnumerable<T> List(DciConnection connection, CancellationToken ct);

    private protected abstract CompletionItem? ToItem(T item);

    private protected sealed override async IAsyncEnumerable<CompletionItem> Load(DciConnection connection,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in List(connection, ct).ConfigureAwait(false))
        {
            if (ToItem(item) is { Value.Length: > 0 } completion) yield return completion;
        }
    }
}

/// <summary>Completes server names.</summary>
public sealed class DciServerNameCompleter : DciCompleter<DciServer>
{
    private protected override string Kind => "server";
    private protected override IAsyncEnumerable<DciServer> List(DciConnection c, CancellationToken ct) => c.Servers.ListAsync(new DciQuery { OrderBy = "name asc" }, ct);
    private protected override CompletionItem? ToItem(DciServer s) => s.Name is null ? null : new(s.Name, $"{s.Id}: {s.Configuration} ({(s.IsFree ? "free" : s.OwnerEmail)})");
}

/// <summary>Completes server ids, showing each server's name; typing part of a name finds its id.</summary>
public sealed class DciServerIdCompleter : DciCompleter<DciServer>
{
    private protected override string Kind => "server-id";
    private protected override bool MatchDescription => true;
    private protected override IAsyncEnumerable<DciServer> List(DciConnection c, CancellationToken ct) => c.Servers.ListAsync(new DciQuery { OrderBy = "id asc" }, ct);
    private protected override CompletionItem? ToItem(DciServer s) => new(Text(s.Id), $"{s.Name} ({s.Configuration})");
}

/// <summary>Completes server configuration strings.</summary>
public sealed class DciConfigurationCompleter : DciCompleter<DciServerConfiguration>
{
    private protected override string Kind => "configuration";
    private protected override IAsyncEnumerable<DciServerConfiguration> List(DciConnection c, CancellationToken ct) => c.Servers.ListConfigurationsAsync(null, ct);
    private protected override CompletionItem? ToItem(DciServerConfiguration s) => s.Configuration is null ? null : new(s.Configuration, $"{s.FreeServerCount} free");
}

/// <summary>Completes user e-mails.</summary>
public sealed class DciUserEmailCompleter : DciCompleter<DciUser>
{
    private protected override string Kind => "user-email";
    private protected override IAsyncEnumerable<DciUser> List(DciConnection c, CancellationToken ct) => c.Users.ListAsync(new DciQuery { OrderBy = "email asc" }, ct);
    private protected override CompletionItem? ToItem(DciUser u) => u.Email is null ? null : new(u.Email, $"{u.Id}: {u.FullName} ({u.Role})");
}

/// <summary>Completes user ids, showing each user's e-mail.</summary>
public sealed class DciUserIdCompleter : DciCompleter<DciUser>
{
    private protected override string Kind => "user-id";
    private protected override bool MatchDescription => true;
    private protected override IAsyncEnumerable<DciUser> List(DciConnection c, CancellationToken ct) => c.Users.ListAsync(null, ct);
    private protected override CompletionItem? ToItem(DciUser u) => new(Text(u.Id), $"{u.Email} ({u.Role})");
}

/// <summary>Completes IP pool names.</summary>
public sealed class DciPoolNameCompleter : DciCompleter<DciIpPool>
{
    private protected override string Kind => "pool";
    private protected override IAsyncEnumerable<DciIpPool> List(DciConnection c, CancellationToken ct) => c.Ip.ListPoolsAsync(null, ct);
    private protected override CompletionItem? ToItem(DciIpPool p) => p.Name is null ? null : new(p.Name, $"{p.Id}: {p.UsingIp}/{p.TotalIp} used");
}

/// <summary>Completes IP pool ids, showing each pool's name.</summary>
public sealed class DciPoolIdCompleter : DciCompleter<DciIpPool>
{
    private protected override string Kind => "pool-id";
    private protected override bool MatchDescription => true;
    private protected override IAsyncEnumerable<DciIpPool> List(DciConnection c, CancellationToken ct) => c.Ip.ListPoolsAsync(null, ct);
    private protected override CompletionItem? ToItem(DciIpPool p) => new(Text(p.Id), p.Name ?? "");
}

/// <summary>Completes IP network names.</summary>
public sealed class DciNetworkNameCompleter : DciCompleter<DciIpNetwork>
{
    private protected override string Kind => "network";
    private protected override IAsyncEnumerable<DciIpNetwork> List(DciConnection c, CancellationToken ct) => c.Ip.ListNetworksAsync(null, ct);
    private protected override CompletionItem? ToItem(DciIpNetwork n) => n.Name is null ? null : new(n.Name, $"{n.Id}: {n.FamilyName} {n.Note}");
}

/// <summary>Completes IP network ids, showing each network's name.</summary>
public sealed class DciNetworkIdCompleter : DciCompleter<DciIpNetwork>
{
    private protected override string Kind => "network-id";
    private protected override bool MatchDescription => true;
    private protected override IAsyncEnumerable<DciIpNetwork> List(DciConnection c, CancellationToken ct) => c.Ip.ListNetworksAsync(null, ct);
    private protected override CompletionItem? ToItem(DciIpNetwork n) => new(Text(n.Id), n.Name ?? "");
}

/// <summary>Completes OS template ids, showing each template's name.</summary>
public sealed class DciOsTemplateIdCompleter : DciCompleter<DciOsTemplate>
{
    private protected override string Kind => "os-template";
    private protected override bool MatchDescription => true;
    private protected override IAsyncEnumerable<DciOsTemplate> List(DciConnection c, CancellationToken ct) => c.OsTemplates.ListAsync(null, ct);
    private protected override CompletionItem? ToItem(DciOsTemplate t) => new(Text(t.Id), t.Name ?? "");
}
