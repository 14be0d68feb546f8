namespace DciManager.Simulator;

/// <summary>The products the simulator can answer as.</summary>
public enum SimulatedPlatform
{
    DCImanager6,
    DCImanager5,
    OpenDcim,
    Imco,
}

/// <summary>Options of one simulator instance (also parsed from the command line by <see cref="SimulatorCommandLine"/>).</summary>
public sealed class SimulatorOptions
{
    /// <summary>Which product this instance answers as (one mode per platform, sharing faults, latency, ledger and TLS).</summary>
    public SimulatedPlatform Platform { get; set; } = SimulatedPlatform.DCImanager6;

    public int Servers { get; set; } = 48;
    /// <summary>openDCIM mode: number of devices (null = the seeded set of about 40).</summary>
    public int? Devices { get; set; }
    /// <summary>openDCIM mode: which API authentication vhost(s) to play.</summary>
    public OpenDcimAuthMode OpenDcimAuth { get; set; } = OpenDcimAuthMode.Both;
    public int Seed { get; set; } = 1;
    public string AdminEmail { get; set; } = "admin@example.com";
    /// <summary>null → a random password, printed at startup by Program.</summary>
    public string? AdminPassword { get; set; }
    /// <summary>Password of the seeded non-admin users (user01@example.com ...).</summary>
    public string UserPassword { get; set; } = "user-password";
    /// <summary>Sliding idle lifetime of session tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(60);
    /// <summary>null = never sleeps.</summary>
    public TimeSpan? SuspendAfterIdle { get; set; }
    public TimeSpan WakeUpTime { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>Added to every request.</summary>
    public TimeSpan Latency { get; set; }
    /// <summary>Overrides every operation's duration; null = realistic defaults (see <see cref="Inferred"/>).</summary>
    public TimeSpan? OperationDuration { get; set; }
    /// <summary>Exposes /_sim/* control endpoints.</summary>
    public bool EnableControl { get; set; }
    /// <summary>Serve TLS with a generated self-signed certificate (CN=localhost, SAN 127.0.0.1/localhost).</summary>
    public bool Https { get; set; }
    /// <summary>Listen address; port 0 = pick a free port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";
    /// <summary>IMCO mode: folder for its CA, server certificate and client API key (created, or reused when present); null = a new temporary folder.</summary>
    public string? CredentialsDirectory { get; set; }
    /// <summary>
    /// The clock behind session lifetimes, operation durations and suspension. Tests that depend on time pass a
    /// clock they advance themselves, so a loaded machine cannot make a lifetime run out early.
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    /// <summary>No per-request logging (log level Warning).</summary>
    public bool Quiet { get; set; } = true;
}
