using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// The platforms a cmdlet serves. A cmdlet without it serves DCImanager 6 only; on any other platform it writes one
/// Dci.NotSupported error (NotImplemented) before sending anything. The README's platform column is read from it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DciPlatformsAttribute : Attribute
{
    public DciPlatformsAttribute(params DciPlatform[] platforms) => Platforms = platforms;

    public IReadOnlyList<DciPlatform> Platforms { get; }

    /// <summary>The platforms <paramref name="cmdletType"/> serves.</summary>
    public static IReadOnlyList<DciPlatform> For(Type cmdletType) =>
        (cmdletType.GetCustomAttributes(typeof(DciPlatformsAttribute), false).FirstOrDefault() as DciPlatformsAttribute)?.Platforms
        ?? new[] { DciPlatform.DCImanager6 };
}
