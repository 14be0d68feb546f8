using System.Net;
using DciManager.Client;

namespace DciManager.Client.Tests;

public class TlsTests
{
    [Fact]
    public async Task Skip_certificate_check_affects_only_its_own_connection()
    {
        await using var sim = await Sim.StartAsync(o => o.Https = true);
        Assert.Equal("https", sim.BaseAddress.Scheme);
        var credential = new NetworkCredential(sim.AdminEmail, sim.AdminPassword);

        var strict = await Assert.ThrowsAsync<DciTransportException>(() => DciConnection.ConnectAsync(Sim.Options(sim), credential));
        Assert.Contains("TLS", strict.Message);
        Assert.Equal(1, strict.Attempts);

        using var lenient = await DciConnection.ConnectAsync(Sim.Options(sim, skipCert: true), credential);
        Assert.Equal(1, (await lenient.Servers.GetAsync(1)).Id);

        // A connection made afterwards still validates certificates.
        await Assert.ThrowsAsync<DciTransportException>(() => DciConnection.ConnectAsync(Sim.Options(sim), credential));
        using var raw = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => raw.GetAsync(new Uri(sim.BaseAddress, "api/dci/v3/server")));
    }
}
