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

/// <summary>
/// Checks each id while parameters bind: a whole number from 1 (DCImanager 6, DCImanager 5, openDCIM) or 24
/// hexadecimal characters (IMCO). Which form the connection needs is checked per connection before anything is sent.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateDciIdAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var text = (element is PSObject wrapped ? wrapped.BaseObject : element)?.ToString();
        if (!DciIds.IsWellFormed(text)) throw new ValidationMetadataException(DciIds.Describe(text));
    }
}
