using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// Checks a raw where expression while parameters bind, before any request: its quotes must close and its
/// parentheses balance, so it cannot break out of the parentheses it is combined in.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateDciFilterAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        try
        {
            DciFilter.Raw(arguments as string ?? "");
        }
        catch (ArgumentException ex)
        {
            throw new ValidationMetadataException(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}

/// <summary>Checks a sort specification ("name", "name desc", "-id") while parameters bind.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateDciSortAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        try
        {
            DciSortKey.Parse(arguments as string ?? "");
        }
        catch (ArgumentException ex)
        {
            throw new ValidationMetadataException(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}
