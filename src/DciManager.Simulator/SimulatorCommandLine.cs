using System.Globalization;

namespace DciManager.Simulator;

/// <summary>Parses the simulator's command-line switches.</summary>
public static class SimulatorCommandLine
{
    public const string Usage = """
        DCImanager simulator (DCImanager 6 unless --platform says otherwise)

          --platform <name>          dcimanager6 (default), dcimanager5, opendcim or imco
          --urls <url[;url]>         listen address (default http://127.0.0.1:0 = free port)
          --servers <n>              number of seeded servers (default 48)
          --devices <n>              opendcim: number of devices (default: the seeded ~40)
          --opendcim-auth <mode>     opendcim: both (default), basic (Apache HTTP Basic) or apikey (UserID/APIKey headers)
          --seed <n>                 inventory seed (default 1)
          --admin-email <email>      admin account (default admin@example.com)
          --admin-password <pw>      admin password (default: random, printed)
          --user-password <pw>       password of user01..user08@example.com (default user-password)
          --token-ttl <minutes>      idle session lifetime (default 60)
          --token-ttl-seconds <s>    idle session lifetime in seconds
          --suspend-after <seconds>  sleep after this idle time (default: never)
          --wake-up <seconds>        time to wake from sleep (default 3)
          --latency-ms <ms>          added to every request
          --operation-ms <ms>        duration of every operation (default: realistic)
          --enable-control           expose /_sim/* control endpoints
          --https                    serve TLS with a generated self-signed certificate
          --credentials-dir <dir>    imco: CA, server certificate and client API key folder (created or reused; default: new temp folder)
          --verbose                  log every request
        """;

    /// <summary>Parses args; throws <see cref="ArgumentException"/> with a message on a bad switch.</summary>
    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SimulatorOptions();
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string? inline = null;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { inline = a[(eq + 1)..]; a = a[..eq]; }
            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new ArgumentException($"{a} needs a value");
                return args[++i];
            }
            double Number()
            {
                var v = Value();
                if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < 0)
                    throw new ArgumentException($"{a}: '{v}' is not a non-negative number");
                return d;
            }
            switch (a.ToLowerInvariant())
            {
                case "--platform":
                    var platform = Value();
                    o.Platform = Enum.TryParse<SimulatedPlatform>(platform, ignoreCase: true, out var p) && Enum.IsDefined(p)
                        ? p
                        : throw new ArgumentException($"Unknown platform '{platform}': use one of {string.Join(", ", Enum.GetNames<SimulatedPlatform>())}.");
                    break;
                case "--urls": o.Urls = Value(); break;
                case "--servers": o.Servers = (int)Number(); break;
                case "--devices": o.Devices = (int)Number(); break;
                case "--opendcim-auth":
                    var auth = Value();
                    o.OpenDcimAuth = Enum.TryParse<OpenDcimAuthMode>(auth, ignoreCase: true, out var m) && Enum.IsDefined(m)
                        ? m
                        : throw new ArgumentException($"Unknown openDCIM auth mode '{auth}': use both, basic or apikey.");
                    break;
                case "--seed": o.Seed = (int)Number(); break;
                case "--admin-email": o.AdminEmail = Value(); break;
                case "--admin-password": o.AdminPassword = Value(); break;
                case "--user-password": o.UserPassword = Value(); break;
                case "--token-ttl": o.TokenLifetime = TimeSpan.FromMinutes(Number()); break;
                case "--token-ttl-seconds": o.TokenLifetime = TimeSpan.FromSeconds(Number()); break;
                case "--suspend-after": o.SuspendAfterIdle = TimeSpan.FromSeconds(Number()); break;
                case "--wake-up": o.WakeUpTime = TimeSpan.FromSeconds(Number()); break;
                case "--latency-ms": o.Latency = TimeSpan.FromMilliseconds(Number()); break;
                case "--operation-ms": o.OperationDuration = TimeSpan.FromMilliseconds(Number()); break;
                case "--enable-control": o.EnableControl = true; break;
                case "--https": o.Https = true; break;
                case "--credentials-dir": o.CredentialsDirectory = Value(); break;
                case "--verbose": o.Quiet = false; break;
                case "--quiet": o.Quiet = true; break;
                default: throw new ArgumentException($"Unknown switch {args[i]}");
            }
        }
        return o;
    }
}
