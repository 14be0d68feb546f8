using System.Management.Automation;
using System.Text.RegularExpressions;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.PowerShell.Tests;

/// <summary>What README and the help say about the platforms each cmdlet serves is what the cmdlet declares ([DciPlatforms]).</summary>
public sealed class PlatformTableTests
{
    private static readonly Dictionary<string, IReadOnlyList<DciPlatform>> s_declared = typeof(DciManager.Commands.ConnectDciCommand).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttributes(typeof(CmdletAttribute), false).Length == 1)
        .ToDictionary(t =>
        {
            var a = (CmdletAttribute)t.GetCustomAttributes(typeof(CmdletAttribute), false)[0];
            return $"{a.VerbName}-{a.NounName}";
        }, DciPlatformsAttribute.For);

    private static string Names(IEnumerable<DciPlatform> platforms) =>
        string.Join(", ", platforms.Select(p => p switch
        {
            DciPlatform.DCImanager6 => "DCImanager 6",
            DciPlatform.DCImanager5 => "DCImanager 5",
            DciPlatform.OpenDcim => "openDCIM",
            DciPlatform.Imco => "IMCO",
            _ => p.ToString(),
        }));

    [Fact]
    public void The_readme_cmdlet_table_names_the_platforms_each_cmdlet_serves()
    {
        var readme = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var rows = readme.Select(l => Regex.Match(l, @"^\| ([A-Za-z]+-Dci\w*) \|.*\| ([^|]+) \|$")).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        var problems = new List<string>();
        foreach (var (cmdlet, platforms) in s_declared)
        {
            if (!rows.TryGetValue(cmdlet, out var shown)) problems.Add($"{cmdlet} has no row in the README cmdlet table");
            else if (shown != Names(platforms)) problems.Add($"{cmdlet}: README says '{shown}', the cmdlet serves '{Names(platforms)}'");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_cmdlet_help_says_which_platforms_it_serves()
    {
        var problems = new List<string>();
        foreach (var (cmdlet, platforms) in s_declared)
        {
            var path = Path.Combine(TestPaths.RepositoryRoot, "docs", cmdlet + ".md");
            if (!File.Exists(path)) continue; // the help tests report missing pages
            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("Platforms: ", StringComparison.Ordinal));
            if (line != $"Platforms: {Names(platforms)}.") problems.Add($"{cmdlet}.md: '{line}' (expected 'Platforms: {Names(platforms)}.')");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Cmdlets_without_the_attribute_serve_dcimanager6_only()
    {
        Assert.Equal(new[] { DciPlatform.DCImanager6 }, s_declared["Get-DciTask"]);
        Assert.Equal(new[] { DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.OpenDcim, DciPlatform.Imco }, s_declared["Get-DciServer"]);
    }
}
