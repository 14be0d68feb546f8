using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using DciManager.Client;
using DciManager.PowerShell.Completers;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Allocates an IP address to servers from a pool or network (POST dci/v3/server/{id}/ip).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Add, "DciServerIp", SupportsShouldProcess = true, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class AddDciServerIpCommand : DciServerTaskCmdlet
{
    /// <summary>The pool to take the address from (a DciIpPool from Get-DciIpPool).</summary>
    [Parameter]
    [ValidateNotNull]
    public DciIpPool? Pool { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciPoolIdCompleter))]
    public long PoolId { get; set; }

    /// <summary>The network to take the address from (a DciIpNetwork from Get-DciIpNetwork).</summary>
    [Parameter]
    [ValidateNotNull]
    public DciIpNetwork? Network { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciNetworkIdCompleter))]
    public long NetworkId { get; set; }

    [Parameter]
    public DciIpFamily Family { get; set; } = DciIpFamily.IPv4;

    /// <summary>A specific address; without it the next free one is taken.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Address { get; set; }

    /// <summary>Reverse-DNS name for the address.</summary>
    [Parameter]
    [ValidatePattern(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$")]
    public string? Domain { get; set; }

    /// <summary>Make it the server's main IPv4 address.</summary>
    [Parameter]
    public SwitchParameter SetAsMain { get; set; }

    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long UserSpace { get; set; }

    private DciAddIpRequest? _request;

    protected override void BeginProcessing()
    {
        var poolId = Pool?.Id ?? (PoolId > 0 ? PoolId : (long?)null);
        var networkId = Network?.Id ?? (NetworkId > 0 ? NetworkId : (long?)null);
        if (Pool is not null && PoolId > 0) ThrowParameterError("Give the pool with -Pool or -PoolId, not both.", nameof(PoolId), PoolId);
        if (Network is not null && NetworkId > 0) ThrowParameterError("Give the network with -Network or -NetworkId, not both.", nameof(NetworkId), NetworkId);
        if (poolId is null && networkId is null && Address is null)
            ThrowParameterError("Say where the address comes from: -Pool, -Network or -Address.", nameof(Pool), null);
        if (Address is not null)
        {
            if (!IPAddress.TryParse(Address, out var parsed) || Address.Contains('/'))
                ThrowParameterError($"'{Address}' is not a valid IP address.", nameof(Address), Address);
            var family = parsed!.AddressFamily == AddressFamily.InterNetworkV6 ? DciIpFamily.IPv6 : DciIpFamily.IPv4;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Family)) && family != Family)
                ThrowParameterError($"'{Address}' is an {family} address but -Family is {Family}.", nameof(Address), Address);
            Family = family;
        }
        if (SetAsMain && Family != DciIpFamily.IPv4)
            ThrowParameterError("-SetAsMain applies to IPv4 addresses only.", nameof(SetAsMain), null);

        _request = new DciAddIpRequest
        {
            Family = Family == DciIpFamily.IPv6 ? "ipv6" : "ipv4",
            Address = Address,
            PoolId = poolId,
            NetworkId = networkId,
            Domain = Domain,
            SetAsMain = SetAsMain,
            Userspace = MyInvocation.BoundParameters.ContainsKey(nameof(UserSpace)) ? UserSpace : null,
        };
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        var source = Address ?? (Pool?.Name is { } pool ? $"pool {pool}" : Network?.Name is { } net ? $"network {net}" : _request!.PoolId is { } id ? $"pool {id}" : $"network {_request.NetworkId}");
        StartTask($"Add {Family} address from {source}", (connection, serverId, ct) => connection.ServerOps.AddIpAsync(serverId, _request!, ct));
    }
}

/// <summary>Address family for Add-DciServerIp.</summary>
public enum DciIpFamily
{
    IPv4,
    IPv6,
}
