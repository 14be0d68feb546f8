using System.Net;
using System.Text.Json;

namespace DciManager.Simulator;

internal sealed class User
{
    public int Id;
    public string Email = "";
    public string FullName = "";
    public string Phone = "";
    public string Password = "";
    public bool IsAdmin;
    public string State = "active";
    public int VlansPerUser = 5;
    public int ServerCount;
}

internal sealed class SwitchConnection
{
    public int Id;
    public int SwitchId;
    public string SwitchName = "";
    public int ConnectionId;
    public string Description = "";
    /// <summary>The switch port this connection is plugged into; its state is the port's state.</summary>
    public SwitchPort? Port;
    private string _adminStatus = "up", _operStatus = "up";
    public string AdminStatus { get => Port?.AdminStatus ?? _adminStatus; set { if (Port is null) _adminStatus = value; else Port.AdminStatus = value; } }
    public string OperStatus { get => Port?.OperStatus ?? _operStatus; set { if (Port is null) _operStatus = value; else Port.OperStatus = value; } }
    public bool DoNotCollectTraffic;
    public bool IsIpmi;
}

internal sealed class Hardware
{
    public string Board = "", BoardVendor = "", Cpu = "";
    public int CpuCount, Cores, Threads, RamGb, RamModules;
    public (string Model, int SizeGb, string Type)[] Disks = Array.Empty<(string, int, string)>();
}

internal sealed class Server
{
    public int Id;
    public string Name = "";
    public string Domain = "";
    public string Configuration = "";
    public string State = "active";
    public string StateInfo = "";
    public string PowerStatus = "on";
    public int? OwnerId;
    public bool IsNew;
    public int LocationId;
    public int RackId;
    public string RackName = "";
    public int Unit;
    public string Barcode = "";
    public SimTask? Operation;
    public int? OsTemplateId;
    public Hardware Hardware = new();
    public bool Efi;
    public List<SwitchConnection> Switches = new();
    public int PduId, PduPort, PduConnectionId;
    public string PduName = "";
    public string PduPortIdentity = "";
    public Location? Location;
    public List<Address> Ips = new();

    // JSON cache, invalidated by Touch().
    public int Version = 1;
    public byte[]? Json;
    public int JsonVersion;
    public JsonElement Element;
    public int ElementVersion;

    public void Touch() => Version++;

    public bool Busy => Operation is { Status: "created" or "running" };
}

internal sealed class SimTask
{
    public long Id;
    public string Name = "";
    public int ServerId;
    public string Status = "created";
    public DateTimeOffset CreatedAt, RunningAt, DueAt;
    public DateTimeOffset? FinishedAt;
    public string? FailMessage;
    public bool WillFail;
    public bool Seeded;
    // Operation data
    public int? OsTemplateId;
    public string? ClearHdd;
    public int? AddressId;
    public bool SetMain;
    public string? PreviousState;
}

internal sealed class Network
{
    public int Id;
    public string Name = "";
    public int Family; // 2 or 10
    public int Prefix;
    public UInt128 Base;
    public UInt128 Gateway;
    public string Vlan = "";
    public string Note = "";
    public int Userspace = 0;
    public int Bits => Family == 2 ? 32 : 128;
    public UInt128 Size => UInt128.One << (Bits - Prefix);
    public UInt128 Last => Base + Size - UInt128.One;
    public string FamilyName => Family == 2 ? "ipv4" : "ipv6";
    public bool Contains(UInt128 v) => v >= Base && v <= Last;
    public UInt128 TotalUsable => Family == 2 ? Size - 2 : Size - 1;
    public bool IsReserved(UInt128 v) => v == Base || v == Gateway || (Family == 2 && v == Last);
}

internal sealed class PoolRange
{
    public Network Net = null!;
    public UInt128 Start, End;
    public bool Contains(UInt128 v) => v >= Start && v <= End;
    public UInt128 Count => End - Start + UInt128.One;
}

internal sealed class Pool
{
    public int Id;
    public string Name = "";
    public string Note = "";
    public int Userspace = 0;
    public bool IsPublic;
    public List<PoolRange> Ranges = new();
}

internal sealed class Address
{
    public int Id;
    public string Name = "";
    public UInt128 Value;
    public Network Net = null!;
    public Pool? Pool;
    public string Domain = "";
    public int? ServerId;
    public string Status = "active";
}

internal sealed record OsTemplate(int Id, string Name, string[] Tags);
internal sealed record Location(int Id, string Name);

internal sealed class Session
{
    public string Token = "";
    public int UserId;
    public DateTimeOffset LastUsed;
    public DateTimeOffset? ExpiresAt;
    public long? TokenId;
}

internal sealed class OneTimeKey
{
    public string Key = "";
    public int UserId;
    public DateTimeOffset ExpiresAt;
    public bool Used;
}

internal static class Ip
{
    public static bool TryParse(string text, out UInt128 value, out int family)
    {
        value = default; family = 0;
        text = text.Trim();
        if (text.Contains(':'))
        {
            if (!IPAddress.TryParse(text, out var a6) || a6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || a6.ScopeId != 0) return false;
            var b = a6.GetAddressBytes();
            for (int i = 0; i < 16; i++) value = (value << 8) | b[i];
            family = 10;
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        foreach (var p in parts)
        {
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || !byte.TryParse(p, out var oct)) return false;
            value = (value << 8) | oct;
        }
        family = 2;
        return true;
    }

    public static UInt128 Parse(string text) => TryParse(text, out var v, out _) ? v : throw new FormatException(text);

    public static string Format(UInt128 v, int family)
    {
        if (family == 2) return $"{(uint)(v >> 24) & 255}.{(uint)(v >> 16) & 255}.{(uint)(v >> 8) & 255}.{(uint)v & 255}";
        var b = new byte[16];
        for (int i = 15; i >= 0; i--) { b[i] = (byte)(v & 255); v >>= 8; }
        return new IPAddress(b).ToString();
    }
}

/// <summary>One executed operation (or user/owner change) as seen by the simulator.</summary>
public sealed record LedgerEntry(long TaskId, int ServerId, string Operation, DateTimeOffset At, string? Detail = null);

/// <summary>A seeded account and its password.</summary>
public sealed record SeededUser(int Id, string Email, string Password, bool IsAdmin)
{
    public void Deconstruct(out string email, out string password, out bool isAdmin) { email = Email; password = Password; isAdmin = IsAdmin; }
}

/// <summary>Read-only snapshot of a server for in-process tests.</summary>
public sealed record ServerInfo(int Id, string Name, string State, string PowerStatus, string? OwnerEmail, int? OwnerId, bool IsNew,
    int? OsTemplateId, string Configuration, long? OperationId, string? OperationName, string? OperationStatus,
    IReadOnlyList<string> IpAddresses, IReadOnlyList<string> PortAdminStatus);

/// <summary>Read-only snapshot of a user for in-process tests.</summary>
public sealed record UserInfo(int Id, string Email, string FullName, bool IsAdmin, int ServerCount);

/// <summary>Read-only snapshot of a task for in-process tests.</summary>
public sealed record TaskInfo(long Id, string Name, int ServerId, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);
