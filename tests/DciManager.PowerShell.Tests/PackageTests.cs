using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.PowerShell.Tests;

/// <summary>Packs the module once (dotnet pack -c Release) for the tests that inspect or import the package.</summary>
public sealed class PackedModule : IDisposable
{
    public PackedModule()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("dci-pack-").FullName;
        var pack = Process.Start(new ProcessStartInfo("dotnet",
            $"pack \"{Path.Combine(TestPaths.RepositoryRoot, "src", "DciManager.PowerShell")}\" -c Release -o \"{Directory}\" -nologo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = pack.StandardOutput.ReadToEnd() + pack.StandardError.ReadToEnd();
        if (!pack.WaitForExit(TimeSpan.FromMinutes(5)) || pack.ExitCode != 0)
            throw new InvalidOperationException("dotnet pack failed:\n" + log);
        Package = System.IO.Directory.GetFiles(Directory, "*.nupkg").Single();
    }

    public string Directory { get; }

    public string Package { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public sealed class PackageTests : IClassFixture<PackedModule>
{
    private readonly PackedModule _packed;

    public PackageTests(PackedModule packed) => _packed = packed;

    [Fact]
    public void The_gallery_package_holds_exactly_the_module_files()
    {
        using var zip = ZipFile.OpenRead(_packed.Package);
        var files = zip.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/") && !n.StartsWith("package/") && n != "[Content_Types].xml")
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(new[]
        {
            "DciManager.Client.dll",
            "DciManager.Format.ps1xml",
            "DciManager.PowerShell.dll",
            "DciManager.nuspec",
            "DciManager.psd1",
            "Dependencies/Polly.Core.dll",
            "en-US/DciManager.PowerShell.dll-Help.xml",
            "en-US/about_DciManager.help.txt",
            "en-US/about_DciManager_Connections.help.txt",
            "en-US/about_DciManager_Inventory.help.txt",
        }, files);

        using var nuspec = new StreamReader(zip.GetEntry("DciManager.nuspec")!.Open());
        var metadata = nuspec.ReadToEnd();
        var version = typeof(DciManager.Commands.ConnectDciCommand).Assembly.GetName().Version!.ToString(3);
        Assert.Contains($"<version>{version}</version>", metadata);
        foreach (var tag in new[] { "PSModule", "PSEdition_Core", "Windows", "Linux", "MacOS", "DCImanager", "ISPsystem", "BareMetal" })
            Assert.Matches($@"<tags>[^<]*\b{tag}\b", metadata);

        using var manifest = new StreamReader(zip.GetEntry("DciManager.psd1")!.Open());
        Assert.Matches($"ModuleVersion\\s*=\\s*'{Regex.Escape(version)}'", manifest.ReadToEnd());
    }

    [Fact]
    public async Task The_unpacked_package_imports_in_a_fresh_host_and_loads_Polly_privately()
    {
        var moduleFolder = Path.Combine(_packed.Directory, "DciManager");
        ZipFile.ExtractToDirectory(_packed.Package, moduleFolder, overwriteFiles: true);
        await using var simulator = await DciManager.Simulator.SimulatorHost.StartAsync(new DciManager.Simulator.SimulatorOptions { AdminPassword = "host-check-pw" });

        // A separate process that has never seen the module's dependencies, as pwsh has not.
        var host = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { TestPaths.ModuleHost, Path.Combine(moduleFolder, "DciManager.psd1"), simulator.BaseAddress.ToString(), simulator.AdminEmail, simulator.AdminPassword },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await host.StandardOutput.ReadToEndAsync() + await host.StandardError.ReadToEndAsync();
        Assert.True(host.WaitForExit(TimeSpan.FromMinutes(2)), "the host did not finish");
        Assert.True(host.ExitCode == 0, output);

        Assert.Contains("servers=48", output);
        var polly = Regex.Match(output, @"polly=(?<path>[^|\r\n]+)\|(?<context>[^\r\n]*)");
        Assert.True(polly.Success, output);
        Assert.Equal(Path.Combine(moduleFolder, "Dependencies", "Polly.Core.dll"), polly.Groups["path"].Value);
        Assert.Equal("DciManager.Dependencies", polly.Groups["context"].Value);
        Assert.Matches(@"help=\S+", output);
    }

    [Fact]
    public void The_manifest_carries_the_gallery_metadata()
    {
        var manifest = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "DciManager.psd1"));
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Core'\)", manifest);
        Assert.Matches(@"PowerShellVersion\s*=\s*'7\.4'", manifest);
        foreach (var key in new[] { "ProjectUri", "LicenseUri", "ReleaseNotes", "Tags" })
            Assert.Matches($@"\b{key}\s*=", manifest);
        foreach (var tag in new[] { "PSEdition_Core", "Windows", "Linux", "MacOS", "DCImanager", "ISPsystem", "BareMetal" })
            Assert.Contains($"'{tag}'", manifest);
        Assert.True(File.Exists(Path.Combine(TestPaths.RepositoryRoot, "LICENSE")));
        Assert.True(File.Exists(Path.Combine(TestPaths.RepositoryRoot, "CHANGELOG.md")));
    }

    [Fact]
    public void Dependencies_resolve_from_the_private_folder_only_when_the_module_ships_them()
    {
        var folder = Directory.CreateTempSubdirectory("dci-deps-").FullName;
        try
        {
            File.Copy(typeof(Polly.ResiliencePipeline).Assembly.Location, Path.Combine(folder, "Polly.Core.dll"));
            var context = new DependencyLoadContext(folder);

            Assert.Equal(Path.Combine(folder, "Polly.Core.dll"), context.ResolvePath(new AssemblyName("Polly.Core, Version=99.0.0.0")));
            Assert.Null(context.ResolvePath(new AssemblyName("System.Text.Json")));
            Assert.Null(context.ResolvePath(new AssemblyName("Newtonsoft.Json")));

            // The shipped copy loads into the private context, not the default one another module shares.
            var polly = context.LoadFromAssemblyName(new AssemblyName("Polly.Core"));
            Assert.Same(context, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(polly));
            Assert.NotSame(typeof(Polly.ResiliencePipeline).Assembly, polly);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (UnauthorizedAccessException) { }
        }
    }
}
