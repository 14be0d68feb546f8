using System.Reflection;

namespace DciManager.PowerShell.Tests;

internal static class TestPaths
{
    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string ModuleHost => Metadata("ModuleHost");

    public static string PowerShellStandardReference => Metadata("PowerShellStandardReference");

    public static string ModuleAssembly => typeof(DciManager.Commands.ConnectDciCommand).Assembly.Location;

    public static string ClientAssembly => typeof(DciManager.Client.DciConnection).Assembly.Location;
}
