using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// The open connections of one runspace and its default. A static field in a binary module is shared by
/// every runspace of the process, so the store is keyed by runspace: concurrent runbooks or
/// ForEach-Object -Parallel runspaces never pick up each other's default by accident.
/// </summary>
public sealed class DciConnectionStore
{
    private static readonly ConditionalWeakTable<Runspace, DciConnectionStore> StoresByRunspace = new();
    private static readonly DciConnectionStore NoRunspaceStore = new();

    private readonly object _gate = new();
    private readonly List<DciConnection> _connections = new();
    private DciConnection? _default;

    /// <summary>The store of the runspace running the current pipeline.</summary>
    public static DciConnectionStore Current
    {
        get
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace is null ? NoRunspaceStore : StoresByRunspace.GetValue(runspace, _ => new DciConnectionStore());
        }
    }

    /// <summary>DciConnection.IsDefault: is it the default of the runspace that asks?</summary>
    internal static bool IsDefaultConnection(DciConnection connection) => ReferenceEquals(Current.Default, connection);

    public DciConnection? Default
    {
        get { lock (_gate) return _default is { IsOpen: true } ? _default : null; }
    }

    public IReadOnlyList<DciConnection> All
    {
        get { lock (_gate) return _connections.Where(c => c.IsOpen).ToArray(); }
    }

    public void Add(DciConnection connection, bool makeDefault)
    {
        lock (_gate)
        {
            _connections.RemoveAll(c => !c.IsOpen);
            if (!_connections.Contains(connection)) _connections.Add(connection);
            if (makeDefault) _default = connection;
        }
    }

    /// <summary>
    /// Forgets a connection. When it was the default there is no default afterwards: silently moving on
    /// to another panel (or another user's session) is how scripts end up acting on the wrong one.
    /// </summary>
    public void Remove(DciConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
            _connections.RemoveAll(c => !c.IsOpen);
            if (ReferenceEquals(_default, connection)) _default = null;
        }
    }
}
