using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.Client.Platforms.OpenDcim;
using DciManager.Commands;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// Base of the openDCIM inventory cmdlets: the connection's openDCIM client, and references typed by a person
/// (a name, a wildcard or an id) resolved to the objects they name, on the connection the cmdlet works on.
/// </summary>
public abstract class OpenDcimCmdlet : DciCmdlet
{
    internal OpenDcimClient Od(DciConnection connection) => connection.OpenDcim!;

    /// <summary>The parameter was given (optional numbers are sent only then).</summary>
    protected bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>
    /// The longest run of literal characters of a wildcard pattern: openDCIM's <c>wildcards</c> search is a substring match,
    /// so it narrows the list with this and the exact pattern decides (null: no literal part, the whole list is read).
    /// </summary>
    internal static string? LongestLiteral(string pattern)
    {
        string? best = null;
        var run = new System.Text.StringBuilder();
        var inBracket = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (inBracket) { if (ch == ']') inBracket = false; continue; }
            if (ch == '`' && i + 1 < pattern.Length) { run.Append(pattern[++i]); continue; }
            if (ch is '*' or '?' or '[')
            {
                if (run.Length > (best?.Length ?? 0)) best = run.ToString();
                run.Clear();
                inBracket = ch == '[';
                continue;
            }
            run.Append(ch);
        }
        if (run.Length > (best?.Length ?? 0)) best = run.ToString();
        return best;
    }

    /// <summary>
    /// A Get-* of an openDCIM list that takes no filter (data centers, departments): the whole list, kept to the ids asked
    /// for (each once) or to the names (wildcards), then one ObjectNotFound error per plain name and per id that matched nothing.
    /// </summary>
    internal void WritePicked<T>(DciConnection connection, string what, long[]? ids, string[]? names,
        Func<CancellationToken, IAsyncEnumerable<T>> list, Func<T, long> idOf, Func<T, string?> nameOf)
    {
        var patterns = DciNameMatch.For(names);
        var wanted = ids?.ToHashSet();
        var seen = new HashSet<long>();
        WriteList(list, x => (wanted is null || (wanted.Contains(idOf(x)) && seen.Add(idOf(x)))) && (patterns?.Matches(nameOf(x)) ?? true));
        foreach (var missing in patterns?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a {what} named '{missing}' on {connection.PanelAddress}", missing));
        foreach (var id in wanted?.Where(i => !seen.Contains(i)) ?? Enumerable.Empty<long>())
            WriteError(DciErrors.NotFound($"{what} {id} on {connection.PanelAddress}", id));
    }

    /// <summary>The data centers a reference names: by id, else by name (wildcards allowed; a plain name that matches nothing is an error).</summary>
    internal List<DciDataCenter> ResolveDataCenters(DciConnection connection, DciDataCenter reference)
    {
        if (reference.Connection is not null && reference.Id > 0) return new() { reference };
        var all = Call(ct => Od(connection).ListDataCentersAsync(ct).ToListAsync(ct));
        return Pick(all, reference.Id, d => d.Id, reference.Name, d => d.Name, "data center");
    }

    internal List<DciCabinet> ResolveCabinets(DciConnection connection, DciCabinet reference)
    {
        if (reference.Connection is not null && reference.Id > 0) return new() { reference };
        var all = Call(ct => Od(connection).ListCabinetsAsync(null, ct).ToListAsync(ct));
        return Pick(all, reference.Id, c => c.Id, reference.Location, c => c.Location, "cabinet");
    }

    internal List<DciDepartment> ResolveDepartments(DciConnection connection, DciDepartment reference)
    {
        if (reference.Connection is not null && reference.Id > 0) return new() { reference };
        var all = Call(ct => Od(connection).ListDepartmentsAsync(ct).ToListAsync(ct));
        return Pick(all, reference.Id, d => d.Id, reference.Name, d => d.Name, "department");
    }

    /// <summary>Exactly one object for a reference that must name one (New-DciDevice -Cabinet); else a terminating error.</summary>
    internal T One<T>(List<T> found, object reference, string what)
    {
        if (found.Count == 1) return found[0];
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(found.Count == 0
                ? $"Cannot find the {what} '{reference}'."
                : $"'{reference}' names {found.Count} {what}s; name exactly one."),
            found.Count == 0 ? "Dci.NotFound" : "Dci.Ambiguous", found.Count == 0 ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument, reference));
        throw new InvalidOperationException(); // not reached
    }

    private List<T> Pick<T>(List<T> all, long id, Func<T, long> idOf, string? name, Func<T, string?> nameOf, string what)
    {
        List<T> found;
        if (id > 0) found = all.Where(x => idOf(x) == id).ToList();
        else
        {
            var pattern = DciNamePattern.Parse(name ?? "");
            found = all.Where(x => nameOf(x) is { } n && pattern.IsMatch(n)).ToList();
        }
        if (found.Count == 0 && (id > 0 || !DciNamePattern.ContainsWildcards(name ?? "")))
            ThrowTerminatingError(DciErrors.NotFound($"the {what} '{(id > 0 ? id : name)}'", (object?)name ?? id));
        return found;
    }
}

internal static class AsyncEnumerableExtensions
{
    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(ct).ConfigureAwait(false)) list.Add(item);
        return list;
    }
}
