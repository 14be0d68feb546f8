using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace DciManager.PowerShell.Tests;

/// <summary>
/// Get-Help for every cmdlet: the markdown in docs/ against the cmdlet declarations (read from metadata),
/// the MAML the build generates from it (build/Help.targets), and Get-Help itself in a hosted engine.
/// </summary>
public sealed class HelpTests : IDisposable
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace Msh = "http://msh";

    private static readonly string[] ShouldProcessParameters = { "WhatIf", "Confirm" };

    private readonly MetadataLoadContext _context;
    private readonly IReadOnlyList<DeclaredCmdlet> _cmdlets;

    public HelpTests()
    {
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Where(p => !Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase))
            .Append(TestPaths.PowerShellStandardReference)
            .Append(TestPaths.ModuleAssembly)
            .Append(TestPaths.ClientAssembly);
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        _cmdlets = _context.LoadFromAssemblyPath(TestPaths.ModuleAssembly).GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == "CmdletAttribute")))
            .Where(x => x.Attribute is not null && !x.Type.IsAbstract)
            .Select(x => new DeclaredCmdlet(x.Type, x.Attribute!))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();
    }

    public void Dispose() => _context.Dispose();

    private static string DocsDirectory => Path.Combine(TestPaths.RepositoryRoot, "docs");

    /// <summary>en-US next to the module DLL the tests load (the build copies it there), else the module project's own output.</summary>
    private static string HelpDirectory
    {
        get
        {
            var besideModule = Path.Combine(Path.GetDirectoryName(TestPaths.ModuleAssembly)!, "en-US");
            if (File.Exists(Path.Combine(besideModule, "DciManager.PowerShell.dll-Help.xml"))) return besideModule;
            var bin = Path.Combine(TestPaths.RepositoryRoot, "src", "DciManager.PowerShell", "bin");
            var candidate = Directory.Exists(bin)
                ? Directory.GetFiles(bin, "DciManager.PowerShell.dll-Help.xml", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                : null;
            return candidate is null ? besideModule : Path.GetDirectoryName(candidate)!;
        }
    }

    private static XDocument LoadMaml()
    {
        var path = Path.Combine(HelpDirectory, "DciManager.PowerShell.dll-Help.xml");
        Assert.True(File.Exists(path), $"The build did not generate {path} (build/Help.targets)");
        return XDocument.Load(path);
    }

    private static Dictionary<string, XElement> MamlCommands(XDocument maml)
    {
        Assert.Equal(Msh + "helpItems", maml.Root!.Name);
        Assert.Equal("maml", (string?)maml.Root.Attribute("schema"));
        return maml.Root.Elements(Command + "command")
            .ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value.Trim(), StringComparer.OrdinalIgnoreCase);
    }

    private static string Text(XElement? element) =>
        element is null ? "" : string.Join("\n", element.Elements(Maml + "para").Select(p => p.Value.Trim())).Trim();

    private static bool IsPlaceholder(string text) => text.Length == 0 || text.Contains("TODO", StringComparison.Ordinal);

    [Fact]
    public void Every_cmdlet_has_a_docs_file_and_every_docs_file_is_a_cmdlet_or_an_about_topic()
    {
        Assert.NotEmpty(_cmdlets);
        var files = Directory.GetFiles(DocsDirectory, "*.md").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        foreach (var cmdlet in _cmdlets)
            Assert.True(files.Contains(cmdlet.Name), $"docs/{cmdlet.Name}.md is missing");
        var names = _cmdlets.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files.Where(f => f!.Contains('-')))
            Assert.True(names.Contains(file!), $"docs/{file}.md documents a cmdlet the module does not have");
    }

    [Fact]
    public void Every_cmdlet_has_synopsis_description_examples_outputs_and_related_links_in_the_MAML()
    {
        var commands = MamlCommands(LoadMaml());
        foreach (var cmdlet in _cmdlets)
        {
            Assert.True(commands.TryGetValue(cmdlet.Name, out var command), $"{cmdlet.Name} is not in the MAML");
            var details = command!.Element(Command + "details")!;
            Assert.Equal(cmdlet.Verb, details.Element(Command + "verb")?.Value);
            Assert.Equal(cmdlet.Noun, details.Element(Command + "noun")?.Value);
            Assert.False(IsPlaceholder(Text(details.Element(Maml + "description"))), $"{cmdlet.Name}: no synopsis");
            Assert.False(IsPlaceholder(Text(command.Element(Maml + "description"))), $"{cmdlet.Name}: no description");

            var examples = command.Element(Command + "examples")?.Elements(Command + "example").ToArray() ?? Array.Empty<XElement>();
            Assert.True(examples.Length >= 2, $"{cmdlet.Name}: {examples.Length} example(s), at least 2 wanted");
            foreach (var example in examples)
            {
                var title = example.Element(Maml + "title")?.Value ?? "";
                Assert.False(IsPlaceholder(title), $"{cmdlet.Name}: an example has no title");
                var code = example.Element(Dev + "code")?.Value ?? "";
                Assert.False(string.IsNullOrWhiteSpace(code), $"{cmdlet.Name}: '{title}' has no code");
                Assert.Contains(cmdlet.Name, code, StringComparison.OrdinalIgnoreCase);
                Assert.False(IsPlaceholder(Text(example.Element(Dev + "remarks"))), $"{cmdlet.Name}: '{title}' has no explanation");
            }

            var links = command.Element(Maml + "relatedLinks")?.Elements(Maml + "navigationLink").ToArray() ?? Array.Empty<XElement>();
            Assert.True(links.Length >= 1, $"{cmdlet.Name}: no related links");
            Assert.All(links, l => Assert.False(string.IsNullOrWhiteSpace(l.Element(Maml + "linkText")?.Value), $"{cmdlet.Name}: a related link has no text"));

            var outputs = command.Element(Command + "returnValues")?.Elements(Command + "returnValue")
                .Select(r => r.Element(Dev + "type")?.Element(Maml + "name")?.Value.Trim() ?? "").ToArray() ?? Array.Empty<string>();
            Assert.True(outputs.Length >= 1, $"{cmdlet.Name}: no OUTPUTS");
            foreach (var declared in cmdlet.OutputTypes.Where(t => t != "System.Void"))
                Assert.True(outputs.Any(o => o.Contains(declared, StringComparison.Ordinal)), $"{cmdlet.Name}: OUTPUTS does not name {declared} ([OutputType])");

            Assert.True(command.Element(Command + "inputTypes")?.Elements(Command + "inputType").Any() ?? false, $"{cmdlet.Name}: no INPUTS");
        }
    }

    [Fact]
    public void Every_parameter_is_documented_and_the_docs_name_no_parameter_that_does_not_exist()
    {
        var commands = MamlCommands(LoadMaml());
        var problems = new List<string>();
        foreach (var cmdlet in _cmdlets)
        {
            var documented = commands[cmdlet.Name].Element(Command + "parameters")!.Elements(Command + "parameter")
                .ToDictionary(p => p.Element(Maml + "name")!.Value.Trim(), StringComparer.OrdinalIgnoreCase);
            foreach (var (name, _) in cmdlet.Parameters)
            {
                if (!documented.TryGetValue(name, out var parameter)) problems.Add($"{cmdlet.Name} -{name} is not documented");
                else if (IsPlaceholder(Text(parameter.Element(Maml + "description")))) problems.Add($"{cmdlet.Name} -{name} has no description");
            }
            foreach (var name in documented.Keys)
            {
                var common = cmdlet.SupportsShouldProcess && ShouldProcessParameters.Contains(name, StringComparer.OrdinalIgnoreCase);
                if (!common && !cmdlet.Parameters.ContainsKey(name)) problems.Add($"{cmdlet.Name}: the help documents -{name}, which the cmdlet does not have");
            }
            if (cmdlet.SupportsShouldProcess)
                foreach (var name in ShouldProcessParameters.Where(n => !documented.ContainsKey(n)))
                    problems.Add($"{cmdlet.Name} supports ShouldProcess but the help has no -{name}");

            // The markdown source too: the MAML could be stale.
            var markdown = MarkdownCommand.Load(Path.Combine(DocsDirectory, cmdlet.Name + ".md"));
            foreach (var name in markdown.Parameters.Keys.Where(n => !cmdlet.Parameters.ContainsKey(n)))
                problems.Add($"docs/{cmdlet.Name}.md documents -{name}, which the cmdlet does not have");
            foreach (var name in cmdlet.Parameters.Keys.Where(n => !markdown.Parameters.ContainsKey(n)))
                problems.Add($"docs/{cmdlet.Name}.md does not document -{name}");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_documented_parameter_attributes_match_the_declarations()
    {
        var problems = new List<string>();
        foreach (var cmdlet in _cmdlets)
        {
            var doc = MarkdownCommand.Load(Path.Combine(DocsDirectory, cmdlet.Name + ".md"));
            if (!string.Equals(doc.Title, cmdlet.Name, StringComparison.Ordinal)) problems.Add($"docs/{cmdlet.Name}.md: title is '{doc.Title}'");
            if (doc.Front.GetValueOrDefault("SupportsShouldProcess", "False").Equals("True", StringComparison.OrdinalIgnoreCase) != cmdlet.SupportsShouldProcess)
                problems.Add($"{cmdlet.Name}: SupportsShouldProcess in the front matter is wrong");
            if (!doc.Front.GetValueOrDefault("ConfirmImpact", "Medium").Equals(cmdlet.ConfirmImpact, StringComparison.OrdinalIgnoreCase))
                problems.Add($"{cmdlet.Name}: ConfirmImpact is {cmdlet.ConfirmImpact}, the docs say {doc.Front.GetValueOrDefault("ConfirmImpact")}");
            var defaultSet = doc.Front.GetValueOrDefault("Default Parameter Set", "__AllParameterSets");
            if (!defaultSet.Equals(cmdlet.DefaultParameterSet ?? "__AllParameterSets", StringComparison.Ordinal))
                problems.Add($"{cmdlet.Name}: default parameter set is {cmdlet.DefaultParameterSet}, the docs say {defaultSet}");

            foreach (var (name, declared) in cmdlet.Parameters)
            {
                if (!doc.Parameters.TryGetValue(name, out var documented)) continue; // reported by the test above
                var where = $"{cmdlet.Name} -{name}";
                if (documented.Type != declared.TypeName) problems.Add($"{where}: type is {declared.TypeName}, the docs say {documented.Type}");
                if (!declared.Aliases.OrderBy(a => a).SequenceEqual(documented.Aliases.OrderBy(a => a), StringComparer.OrdinalIgnoreCase))
                    problems.Add($"{where}: aliases are [{string.Join(", ", declared.Aliases)}], the docs say [{string.Join(", ", documented.Aliases)}]");
                if (declared.Wildcards != documented.Wildcards) problems.Add($"{where}: wildcard support is {declared.Wildcards}, the docs say {documented.Wildcards}");
                var declaredUses = declared.Uses.Select(u => u.ToString()).OrderBy(u => u).ToArray();
                var documentedUses = documented.Uses.Select(u => u.ToString()).OrderBy(u => u).ToArray();
                if (!declaredUses.SequenceEqual(documentedUses))
                    problems.Add($"{where}: declared {string.Join(" | ", declaredUses)}; the docs say {string.Join(" | ", documentedUses)}");
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData("about_DciManager")]
    [InlineData("about_DciManager_Connections")]
    public void The_about_topics_are_generated_from_the_docs(string topic)
    {
        Assert.True(File.Exists(Path.Combine(DocsDirectory, topic + ".md")), $"docs/{topic}.md is missing");
        var path = Path.Combine(HelpDirectory, topic + ".help.txt");
        Assert.True(File.Exists(path), $"{path} was not generated");
        var text = File.ReadAllText(path);
        Assert.StartsWith("TOPIC", text, StringComparison.Ordinal);
        Assert.Contains(topic, text, StringComparison.Ordinal);
        Assert.Contains("SHORT DESCRIPTION", text, StringComparison.Ordinal);
        Assert.Contains("LONG DESCRIPTION", text, StringComparison.Ordinal);
        Assert.True(text.Length > 2000, $"{topic} is suspiciously short");
        Assert.DoesNotContain("```", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_Help_in_a_hosted_engine_reads_the_generated_help()
    {
        var helpDirectory = Path.Combine(Path.GetDirectoryName(TestPaths.ModuleAssembly)!, "en-US");
        Assert.True(File.Exists(Path.Combine(helpDirectory, "DciManager.PowerShell.dll-Help.xml")),
            "The help is not next to the module DLL the tests load; Get-Help would find nothing");
        var expected = MarkdownCommand.Load(Path.Combine(DocsDirectory, "Get-DciServer.md"));

        using var runspace = ModuleSession.OpenRunspace();
        var help = ModuleSession.Run(runspace, "Get-Help Get-DciServer -Full").ThrowOnError().Output.OfType<PSObject>().Single();
        Assert.Equal(expected.Synopsis, help.Properties["Synopsis"].Value?.ToString()?.Trim());

        var examples = ModuleSession.Run(runspace, "@((Get-Help Get-DciServer -Full).examples.example)").ThrowOnError().Output;
        Assert.True(examples.Length >= 2, $"Get-Help shows {examples.Length} example(s)");
        var code = ModuleSession.Run(runspace, "(Get-Help Get-DciServer -Examples).examples.example[0].code").ThrowOnError().Output.Single()?.ToString();
        Assert.Contains("Get-DciServer", code, StringComparison.Ordinal);

        var description = ModuleSession.Run(runspace, "(Get-Help Get-DciServer -Parameter Free).description.Text -join ' '").ThrowOnError().Output.Single()?.ToString();
        Assert.False(string.IsNullOrWhiteSpace(description), "Get-Help -Parameter Free shows no description");

        var links = ModuleSession.Run(runspace, "@((Get-Help Get-DciServer -Full).relatedLinks.navigationLink.linkText)").ThrowOnError().Output;
        Assert.Contains("Connect-Dci", links.Select(l => l?.ToString()));

        // A cmdlet with -WhatIf/-Confirm and several parameter sets: the syntax shows each set.
        var syntax = ModuleSession.Run(runspace, "@((Get-Help Invoke-DciPower).syntax.syntaxItem)").ThrowOnError().Output;
        Assert.Equal(2, syntax.Length);
    }

    [Fact]
    public void Get_Help_in_a_hosted_engine_finds_the_about_topics()
    {
        using var runspace = ModuleSession.OpenRunspace();
        // Assigned first: the hosted engine has no Out-String/Out-Default for a bare Get-Help of an about topic.
        var result = ModuleSession.Run(runspace, "$topic = Get-Help about_DciManager_Connections; $topic | ForEach-Object { [string]$_ }").ThrowOnError();
        var text = string.Join("\n", result.Output.Select(o => o?.ToString()));
        Assert.Contains("about_DciManager_Connections", text, StringComparison.Ordinal);
        Assert.Contains("-NotDefault", text, StringComparison.Ordinal);
        Assert.Contains("Connect-Dci", text, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ declarations

    private sealed record Use(string Set, bool Required, string Position, bool ByValue, bool ByPropertyName)
    {
        public override string ToString() =>
            $"{Set}:{(Required ? "required" : "optional")},pos {Position}{(ByValue ? ",ByValue" : "")}{(ByPropertyName ? ",ByPropertyName" : "")}";
    }

    private sealed class DeclaredParameter
    {
        public required string TypeName { get; init; }
        public required IReadOnlyList<string> Aliases { get; init; }
        public required bool Wildcards { get; init; }
        public required IReadOnlyList<Use> Uses { get; init; }
    }

    private sealed class DeclaredCmdlet
    {
        public DeclaredCmdlet(Type type, CustomAttributeData attribute)
        {
            Verb = (string)attribute.ConstructorArguments[0].Value!;
            Noun = (string)attribute.ConstructorArguments[1].Value!;
            T? Named<T>(string name) => attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();
            SupportsShouldProcess = Named<bool>("SupportsShouldProcess");
            ConfirmImpact = new[] { "None", "Low", "Medium", "High" }[Named<int?>("ConfirmImpact") ?? 2];
            DefaultParameterSet = Named<string>("DefaultParameterSetName");
            OutputTypes = type.GetCustomAttributesData()
                .Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
                .OfType<Type>()
                .Select(t => t.FullName!)
                .ToArray();
            Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Attributes: p.GetCustomAttributesData()))
                .Where(p => p.Attributes.Any(a => a.AttributeType.Name == "ParameterAttribute"))
                .ToDictionary(p => p.Property.Name, p => Describe(p.Property.PropertyType, p.Attributes), StringComparer.OrdinalIgnoreCase);
        }

        public string Verb { get; }
        public string Noun { get; }
        public string Name => $"{Verb}-{Noun}";
        public bool SupportsShouldProcess { get; }
        public string ConfirmImpact { get; }
        public string? DefaultParameterSet { get; }
        public IReadOnlyList<string> OutputTypes { get; }
        public IReadOnlyDictionary<string, DeclaredParameter> Parameters { get; }

        private static DeclaredParameter Describe(Type type, IList<CustomAttributeData> attributes)
        {
            var typeName = type.IsArray ? type.GetElementType()!.Name + "[]" : (Nullable.GetUnderlyingType(type) ?? type).Name;
            var uses = attributes.Where(a => a.AttributeType.Name == "ParameterAttribute").Select(a =>
            {
                object? Arg(string name) => a.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();
                var position = Arg("Position") is int p && p >= 0 ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named";
                return new Use((string?)Arg("ParameterSetName") ?? "(All)", Arg("Mandatory") is true, position,
                    Arg("ValueFromPipeline") is true, Arg("ValueFromPipelineByPropertyName") is true);
            }).ToArray();
            var aliases = attributes.Where(a => a.AttributeType.Name == "AliasAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : new[] { (string)arg.Value! })
                .ToArray();
            return new DeclaredParameter
            {
                TypeName = typeName,
                Aliases = aliases,
                Wildcards = attributes.Any(a => a.AttributeType.Name == "SupportsWildcardsAttribute"),
                Uses = uses,
            };
        }
    }

    // ------------------------------------------------------------------ the markdown source

    private sealed class MarkdownParameter
    {
        public string Type { get; set; } = "";
        public List<string> Aliases { get; } = new();
        public bool Wildcards { get; set; }
        public List<Use> Uses { get; } = new();
    }

    /// <summary>Reads docs/Verb-Noun.md the way build/Help.targets does (front matter, ## sections, ### -Parameter with yaml blocks).</summary>
    private sealed class MarkdownCommand
    {
        public string Title { get; private set; } = "";
        public string Synopsis { get; private set; } = "";
        public Dictionary<string, string> Front { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, MarkdownParameter> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static MarkdownCommand Load(string path)
        {
            Assert.True(File.Exists(path), $"{path} is missing");
            var doc = new MarkdownCommand();
            var lines = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
            var i = 0;
            if (lines[0].Trim() == "---")
            {
                for (i = 1; i < lines.Length && lines[i].Trim() != "---"; i++)
                {
                    var colon = lines[i].IndexOf(':');
                    if (colon > 0) doc.Front[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
                }
                i++;
            }
            string section = "";
            MarkdownParameter? parameter = null;
            Dictionary<string, string>? yaml = null;
            var synopsis = new List<string>();
            var inFence = false;
            for (; i < lines.Length; i++)
            {
                var line = lines[i];
                if (yaml is not null)
                {
                    if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { AddUse(parameter!, yaml); yaml = null; continue; }
                    var colon = line.IndexOf(':');
                    if (colon > 0) yaml[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    continue;
                }
                if (section == "PARAMETERS" && parameter is not null && line.Trim() == "```yaml") { yaml = new(StringComparer.OrdinalIgnoreCase); continue; }
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { inFence = !inFence; continue; }
                if (inFence) continue;
                if (line.StartsWith("# ", StringComparison.Ordinal)) { doc.Title = line[2..].Trim(); continue; }
                if (line.StartsWith("## ", StringComparison.Ordinal)) { section = line[3..].Trim().ToUpperInvariant(); parameter = null; continue; }
                if (section == "PARAMETERS" && line.StartsWith("### ", StringComparison.Ordinal))
                {
                    parameter = new MarkdownParameter();
                    doc.Parameters[line[4..].Trim().TrimStart('-')] = parameter;
                    continue;
                }
                if (section == "SYNOPSIS" && line.Trim().Length > 0) synopsis.Add(line.Trim());
            }
            doc.Synopsis = string.Join(" ", synopsis);
            return doc;
        }

        private static void AddUse(MarkdownParameter parameter, Dictionary<string, string> yaml)
        {
            string Get(string key) => yaml.TryGetValue(key, out var v) ? v : "";
            parameter.Type = Get("Type");
            parameter.Aliases.Clear();
            parameter.Aliases.AddRange(Get("Aliases").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            parameter.Wildcards = Get("Accept wildcard characters").StartsWith("True", StringComparison.OrdinalIgnoreCase);
            var pipeline = Get("Accept pipeline input");
            var position = Get("Position");
            foreach (var set in Get("Parameter Sets").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                parameter.Uses.Add(new Use(set, Get("Required").StartsWith("True", StringComparison.OrdinalIgnoreCase),
                    position.Length == 0 || position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position,
                    pipeline.Contains("ByValue", StringComparison.OrdinalIgnoreCase),
                    pipeline.Contains("ByPropertyName", StringComparison.OrdinalIgnoreCase)));
            }
        }
    }
}
