using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DciManager.PowerShell.Tests;

/// <summary>
/// The house rules for cmdlet declarations, read from metadata (MetadataLoadContext against the
/// PowerShellStandard reference assembly the module compiles with), without a PowerShell host.
/// </summary>
public sealed class CmdletMetadataTests : IDisposable
{
    private static readonly string[] StateChangingVerbs =
        { "New", "Set", "Remove", "Add", "Clear", "Install", "Invoke", "Suspend", "Resume", "Start", "Stop", "Restart", "Update", "Enable", "Disable" };

    private readonly MetadataLoadContext _context;
    private readonly IReadOnlyList<CmdletInfo> _cmdlets;
    private readonly Type _parameterAttribute;

    public CmdletMetadataTests()
    {
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Where(p => !Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase))
            .Append(TestPaths.PowerShellStandardReference)
            .Append(TestPaths.ModuleAssembly)
            .Append(TestPaths.ClientAssembly);
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        var module = _context.LoadFromAssemblyPath(TestPaths.ModuleAssembly);
        _parameterAttribute = _context.LoadFromAssemblyPath(TestPaths.PowerShellStandardReference)
            .GetType("System.Management.Automation.ParameterAttribute", throwOnError: true)!;
        _cmdlets = module.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == "CmdletAttribute")))
            .Where(x => x.Attribute is not null)
            .Select(x => new CmdletInfo(x.Type, x.Attribute!))
            .ToArray();
    }

    public void Dispose() => _context.Dispose();

    [Fact]
    public void The_module_declares_the_cmdlets_of_the_foundation_and_operations()
    {
        var names = _cmdlets.Select(c => c.Name).ToHashSet();
        foreach (var expected in new[] { "Connect-Dci", "Disconnect-Dci", "Get-DciConnection", "Get-DciServer", "Get-DciServerConfiguration",
                     "Get-DciIpNetwork", "Get-DciIpPool", "Invoke-DciRestMethod", "Get-DciUser", "New-DciUser", "Set-DciServerOwner",
                     "Remove-DciServerOwner", "Invoke-DciPower", "Suspend-DciServer", "Resume-DciServer", "Get-DciIpAddress", "Add-DciServerIp",
                     "Remove-DciServerIp", "Start-DciServerDiagnostic", "Clear-DciServerDisk", "Install-DciServerOs", "Set-DciSetting",
                     "New-DciLoginKey", "New-DciApiToken", "Set-DciSessionLifetime", "Get-DciTask", "Wait-DciTask" })
        {
            Assert.Contains(expected, names);
        }
    }

    [Fact]
    public void Every_verb_is_approved_and_every_noun_has_the_Dci_prefix()
    {
        var sma = _parameterAttribute.Assembly;
        var approved = new[] { "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsOther", "VerbsSecurity" }
            .SelectMany(n => sma.GetType("System.Management.Automation." + n, throwOnError: true)!.GetFields())
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        Assert.NotEmpty(_cmdlets);
        foreach (var cmdlet in _cmdlets)
        {
            Assert.True(approved.Contains(cmdlet.Verb), $"{cmdlet.Name}: '{cmdlet.Verb}' is not an approved verb");
            Assert.Matches("^Dci[A-Z]?", cmdlet.Noun);
        }
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        foreach (var cmdlet in _cmdlets)
            Assert.True(cmdlet.Type.GetCustomAttributesData().Any(a => a.AttributeType.Name == "OutputTypeAttribute"), $"{cmdlet.Name} has no [OutputType]");
    }

    [Fact]
    public void State_changing_cmdlets_support_WhatIf_and_destructive_ones_confirm_by_default()
    {
        foreach (var cmdlet in _cmdlets.Where(c => StateChangingVerbs.Contains(c.Verb)))
            Assert.True(cmdlet.SupportsShouldProcess, $"{cmdlet.Name} changes state but does not support -WhatIf/-Confirm");

        foreach (var name in new[] { "Clear-DciServerDisk", "Install-DciServerOs", "Remove-DciUser" })
            Assert.Equal(3 /* ConfirmImpact.High */, _cmdlets.Single(c => c.Name == name).ConfirmImpact);
    }

    [Fact]
    public void Every_cmdlet_that_talks_to_DCImanager_takes_Connection()
    {
        foreach (var cmdlet in _cmdlets.Where(c => c.Name is not ("Connect-Dci" or "Get-DciConnection")))
            Assert.True(cmdlet.Parameters.ContainsKey("Connection"), $"{cmdlet.Name} has no -Connection");
    }

    [Fact]
    public void Parameters_bound_by_property_name_match_a_property_of_an_emitted_type()
    {
        var emittedProperties = _cmdlets
            .SelectMany(c => c.OutputTypes)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var checkedCount = 0;
        foreach (var cmdlet in _cmdlets)
        {
            foreach (var (name, parameter) in cmdlet.Parameters.Where(p => p.Value.ByPropertyName))
            {
                checkedCount++;
                var candidates = parameter.Aliases.Prepend(name).ToArray();
                Assert.True(candidates.Any(emittedProperties.Contains),
                    $"{cmdlet.Name} -{name} binds by property name but no emitted type has a property {string.Join(" or ", candidates)}");
                // Every emitted object has an Id; a parameter bound from it would read a user or a pool as anything else.
                Assert.DoesNotContain("Id", candidates, StringComparer.OrdinalIgnoreCase);
            }
        }
        Assert.True(checkedCount >= 5);
    }

    [Fact]
    public void Server_actions_take_only_server_shaped_input_from_the_pipeline_and_ids_on_the_command_line()
    {
        foreach (var name in new[] { "Invoke-DciPower", "Set-DciServerOwner", "Remove-DciServerOwner", "Suspend-DciServer", "Resume-DciServer",
                     "Add-DciServerIp", "Start-DciServerDiagnostic", "Clear-DciServerDisk", "Install-DciServerOs" })
        {
            var cmdlet = _cmdlets.Single(c => c.Name == name);
            Assert.True(cmdlet.Parameters["Server"].ByValue, $"{name} -Server");
            Assert.Equal("DciServer", cmdlet.Parameters["Server"].Type.Name);
            Assert.True(cmdlet.Parameters["Server"].IsArray, $"{name} -Server takes a list");
            Assert.Contains("DciServerTransformationAttribute", cmdlet.Parameters["Server"].AttributeNames);
            Assert.False(cmdlet.Parameters["ServerId"].ByPropertyName, $"{name} -ServerId must not bind by property name");
            Assert.False(cmdlet.Parameters["ServerId"].ByValue, $"{name} -ServerId must not bind from the pipeline");
            Assert.True(cmdlet.Parameters["ServerId"].IsArray, $"{name} -ServerId takes a list");
            Assert.Contains("Id", cmdlet.Parameters["ServerId"].Aliases);
            Assert.True(cmdlet.Parameters.ContainsKey("ThrottleLimit"), $"{name} -ThrottleLimit");
        }
    }

    [Fact]
    public void Every_timeout_is_spelled_TimeoutSec_as_PowerShell_spells_it()
    {
        var timeouts = _cmdlets.SelectMany(c => c.Parameters.Keys.Where(p => p.StartsWith("Timeout", StringComparison.OrdinalIgnoreCase)).Select(p => (c.Name, p))).ToArray();
        Assert.NotEmpty(timeouts);
        Assert.All(timeouts, t => Assert.Equal("TimeoutSec", t.p));
    }

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlets_in_the_assembly()
    {
        var manifest = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "DciManager.psd1"));
        var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        var exported = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(n => n).ToArray();
        Assert.Equal(_cmdlets.Select(c => c.Name).OrderBy(n => n).ToArray(), exported);
        Assert.DoesNotMatch(@"ToExport\s*=\s*(@\()?\s*'\*'", manifest);
    }

    [Fact]
    public void The_manifest_version_is_the_one_version_number()
    {
        var props = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Build.props"));
        var version = props.Descendants("VersionPrefix").Single().Value;
        var manifest = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "DciManager.psd1"));
        Assert.Equal(version, Regex.Match(manifest, @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value);
        Assert.Equal(version, _context.LoadFromAssemblyPath(TestPaths.ModuleAssembly).GetName().Version!.ToString(3));
    }

    [Fact]
    public void Every_property_a_table_view_names_exists_on_its_type()
    {
        var format = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "src", "DciManager.PowerShell", "DciManager.Format.ps1xml"));
        var client = _context.LoadFromAssemblyPath(TestPaths.ClientAssembly);
        var views = format.Descendants("View").ToArray();
        Assert.NotEmpty(views);
        foreach (var view in views)
        {
            var typeName = view.Descendants("TypeName").Single().Value;
            var type = client.GetType(typeName) ?? throw new Xunit.Sdk.XunitException($"{typeName} named by a view does not exist");
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
                Assert.True(type.GetProperty(property) is not null, $"{typeName} has no property {property}");
            // A header reads as a property the user can filter and select on (Where-Object PowerStatus -eq on).
            foreach (var label in view.Descendants("Label").Select(l => l.Value))
                Assert.True(type.GetProperty(label) is not null, $"{typeName}: the column '{label}' is not a property of the type");
        }
        var emitted = _cmdlets.SelectMany(c => c.OutputTypes).Where(t => t.Namespace == "DciManager.Client").Select(t => t.FullName).ToHashSet();
        var viewed = views.Select(v => v.Descendants("TypeName").Single().Value).ToHashSet();
        Assert.Empty(emitted.Except(viewed));
    }

    private sealed class CmdletInfo
    {
        public CmdletInfo(Type type, CustomAttributeData attribute)
        {
            Type = type;
            Verb = (string)attribute.ConstructorArguments[0].Value!;
            Noun = (string)attribute.ConstructorArguments[1].Value!;
            SupportsShouldProcess = attribute.NamedArguments.Any(a => a.MemberName == "SupportsShouldProcess" && (bool)a.TypedValue.Value!);
            ConfirmImpact = attribute.NamedArguments.Where(a => a.MemberName == "ConfirmImpact").Select(a => (int)a.TypedValue.Value!).FirstOrDefault(2);
            OutputTypes = type.GetCustomAttributesData()
                .Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
                .OfType<Type>()
                .ToArray();
            Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Attributes: p.GetCustomAttributesData()))
                .Where(p => p.Attributes.Any(a => a.AttributeType.Name == "ParameterAttribute"))
                .ToDictionary(p => p.Property.Name, p => new ParameterInfo(p.Property.PropertyType, p.Attributes), StringComparer.OrdinalIgnoreCase);
        }

        public Type Type { get; }
        public string Verb { get; }
        public string Noun { get; }
        public string Name => $"{Verb}-{Noun}";
        public bool SupportsShouldProcess { get; }
        public int ConfirmImpact { get; }
        public IReadOnlyList<Type> OutputTypes { get; }
        public IReadOnlyDictionary<string, ParameterInfo> Parameters { get; }
    }

    private sealed class ParameterInfo
    {
        public ParameterInfo(Type type, IList<CustomAttributeData> attributes)
        {
            Type = type.IsArray ? type.GetElementType()! : type;
            IsArray = type.IsArray;
            AttributeNames = attributes.Select(a => a.AttributeType.Name).ToArray();
            var parameters = attributes.Where(a => a.AttributeType.Name == "ParameterAttribute").ToArray();
            bool Flag(string name) => parameters.Any(p => p.NamedArguments.Any(a => a.MemberName == name && (bool)a.TypedValue.Value!));
            ByValue = Flag("ValueFromPipeline");
            ByPropertyName = Flag("ValueFromPipelineByPropertyName");
            Aliases = attributes.Where(a => a.AttributeType.Name == "AliasAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : new[] { (string)arg.Value! })
                .ToArray();
        }

        public Type Type { get; }
        public bool IsArray { get; }
        public IReadOnlyList<string> AttributeNames { get; }
        public bool ByValue { get; }
        public bool ByPropertyName { get; }
        public IReadOnlyList<string> Aliases { get; }
    }
}
