using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.PowerShell.Tests;

public sealed class PackageTests
{
    [Fact]
    public void The_gallery_package_holds_exactly_the_module_files()
    {
        var output = Directory.CreateTempSubdirectory("dci-pack-").FullName;
        try
        {
            var pack = Process.Start(new ProcessStartInfo("dotnet",
                $"pack \"{Path.Combine(TestPaths.RepositoryRoot, "src", "DciManager.PowerShell")}\" -c Release -o \"{output}\" -nologo")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var log = pack.StandardOutput.ReadToEnd() + pack.StandardError.ReadToEnd();
            Assert.True(pack.WaitForExit(TimeSpan.FromMinutes(5)), "dotnet pack did not finish");
            Assert.True(pack.ExitCode == 0, log);

            var package = Assert.Single(Directory.GetFiles(output, "*.nupkg"));
            using var zip = ZipFile.OpenRead(package);
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
        finally
        {
            Directory.Delete(output, recursive: true);
        }
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
