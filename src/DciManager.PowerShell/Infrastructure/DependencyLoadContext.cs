using DciManager.Client;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// Loads the module's third-party dependencies (Polly) from its Dependencies/ folder into a private
/// AssemblyLoadContext, so another module that loaded a different Polly version cannot break ours and
/// ours cannot break it. Our own assemblies stay in the default context, so their types (DciServer ...)
/// remain nameable in scripts.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _dependencyDirectory;

    public DependencyLoadContext(string dependencyDirectory)
        : base("DciManager.Dependencies", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    /// <summary>
    /// The resolution rule: an assembly is ours to serve when a file of that simple name sits in the
    /// Dependencies folder; anything else is left to the default context.
    /// </summary>
    public string? ResolvePath(AssemblyName name)
    {
        if (string.IsNullOrEmpty(name.Name)) return null;
        var candidate = Path.Combine(_dependencyDirectory, name.Name + ".dll");
        return File.Exists(candidate) ? candidate : null;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = ResolvePath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    public Assembly? ResolveFromDefault(AssemblyLoadContext _, AssemblyName name) =>
        ResolvePath(name) is null ? null : LoadFromAssemblyName(name);
}

/// <summary>Hooks the dependency context in when the module is imported.</summary>
public sealed class DciModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly object Gate = new();
    private static DependencyLoadContext? _context;

    public void OnImport()
    {
        lock (Gate)
        {
            DciConnection.IsDefaultResolver ??= DciConnectionStore.IsDefaultConnection;
            if (_context is not null) return;
            var moduleDirectory = Path.GetDirectoryName(typeof(DciModuleInitializer).Assembly.Location)!;
            _context = new DependencyLoadContext(Path.Combine(moduleDirectory, "Dependencies"));
            AssemblyLoadContext.Default.Resolving += _context.ResolveFromDefault;
        }
    }
}
