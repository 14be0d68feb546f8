using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.PowerShell.Completers;

/// <summary>
/// Shared completion logic: find the connection the command line will use (its -Connection, else the
/// runspace default), ask the engine's per-connection cache for what matches the typed text (it asks the
/// server only for those), and insert each value quoted by <see cref="DciCompletionText"/>.
/// </summary>
public abstract class DciCompleter : IArgumentCompleter
{
    private protected abstract DciCompletionKind Kind { get; }

    /// <summary>Values are ids: all-digit values go in bare.</summary>
    private protected virtual bool IsId => false;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var bound = fakeBoundParameters?["Connection"];
        var connection = (bound is PSObject ps ? ps.BaseObject : bound) as DciConnection ?? DciConnectionStore.Current.Default;
        if (connection is null || !connection.IsOpen) return Array.Empty<CompletionResult>();

        var typed = DciCompletionText.Unquote(wordToComplete);
        return DciCompletionCache.For(connection).Complete(Kind, typed)
            .Select(i => new CompletionResult(DciCompletionText.Quote(i.Value, IsId), i.Value, CompletionResultType.ParameterValue,
                i.Description.Length > 0 ? i.Description : i.Value))
            .ToList();
    }
}

/// <summary>Completes server names.</summary>
public sealed class DciServerNameCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.ServerName;
}

/// <summary>Completes server ids, showing each server's name; typing part of a name finds its id.</summary>
public sealed class DciServerIdCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.ServerId;
    private protected override bool IsId => true;
}

/// <summary>Completes server configuration strings.</summary>
public sealed class DciConfigurationCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.Configuration;
}

/// <summary>Completes user e-mails.</summary>
public sealed class DciUserEmailCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.UserEmail;
}

/// <summary>Completes user ids, showing each user's e-mail.</summary>
public sealed class DciUserIdCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.UserId;
    private protected override bool IsId => true;
}

/// <summary>Completes IP pool names.</summary>
public sealed class DciPoolNameCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.PoolName;
}

/// <summary>Completes IP pool ids, showing each pool's name.</summary>
public sealed class DciPoolIdCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.PoolId;
    private protected override bool IsId => true;
}

/// <summary>Completes IP network names.</summary>
public sealed class DciNetworkNameCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.NetworkName;
}

/// <summary>Completes IP network ids, showing each network's name.</summary>
public sealed class DciNetworkIdCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.NetworkId;
    private protected override bool IsId => true;
}

/// <summary>Completes OS template ids, showing each template's name.</summary>
public sealed class DciOsTemplateIdCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.OsTemplateId;
    private protected override bool IsId => true;
}
