using System.Text.Json;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;

namespace DciManager.Client.Tests;

/// <summary>The IMCO resource methods (ImcoClient.Resources.cs) against the simulator's IMCO mode over loopback mutual TLS.</summary>
public sealed class ImcoResourceTests
{
    private static async Task<(string ProviderId, string RealmId)> LargeUsEastPlanAsync(DciConnection c)
    {
        var providers = await c.Imco!.ListCloudProvidersAsync(default).ToListAsync();
        foreach (var provider in providers)
        {
            var plan = (await c.Imco.ListServerPlansAsync(provider.Id!, null, default).ToListAsync()).FirstOrDefault(p => p.Name == "us-east-1 large");
            if (plan is not null) return (provider.Id!, plan.RealmId!);
        }
        throw new InvalidOperationException("The seed has no us-east-1 large plan.");
    }

    [Fact]
    public async Task Server_plans_of_one_realm_are_asked_of_IMCO_on_v3_and_narrowed_here_on_v2()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var v3 = await ImcoSimulator.ConnectAsync(sim);
        using var v2 = await ImcoSimulator.ConnectAsync(sim, "v2");
        var (provider, realm) = await LargeUsEastPlanAsync(v3);
        Assert.Equal(6, (await v3.Imco!.ListServerPlansAsync(provider, null, default).ToListAsync()).Count);

        var sink = new CapturingSink();
        List<DciServerPlan> onV3, onV2;
        using (DciTrace.Push(sink))
        {
            onV3 = await v3.Imco.ListServerPlansAsync(provider, realm, default).ToListAsync();
            onV2 = await v2.Imco!.ListServerPlansAsync(provider, realm, default).ToListAsync();
        }
        Assert.Equal(3, onV3.Count);
        Assert.All(onV3, p => Assert.Equal(realm, p.RealmId));
        // v2 has no realm_id: it is not sent there, and the six plans IMCO answers are narrowed to the realm's three.
        Assert.Equal(3, onV2.Count);
        Assert.All(onV2, p => Assert.Equal(realm, p.RealmId));
        var lines = sink.VerboseLines.ToArray();
        Assert.Contains(lines, l => l.Contains("/v3/", StringComparison.Ordinal) && l.Contains("realm_id=" + realm, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/v2/", StringComparison.Ordinal) && l.Contains("server_plans", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("/v2/", StringComparison.Ordinal) && l.Contains("realm_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ids_that_are_not_24_hex_are_refused_before_any_request()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var before = sim.State.RequestCount;
        var imco = c.Imco!;
        await Assert.ThrowsAsync<ArgumentException>(() => imco.GetTemplateAsync("../servers", default));
        await Assert.ThrowsAsync<ArgumentException>(() => imco.ListSubnetsAsync("abc", default).ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => imco.ListServerPlansAsync("ffffffffffffffffffffff01", "realm?x=1", default).ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => imco.AttachVolumeAsync("ffffffffffffffffffffff01", "web-001", default));
        await Assert.ThrowsAsync<ArgumentException>(() => imco.CreateVolumeAsync(new ImcoNewVolume
        {
            Name = "v", Size = 1, CloudAccountId = "ffffffffffffffffffffff01", StoragePlanId = "not-a-plan",
        }, default));
        Assert.Equal(before, sim.State.RequestCount);
    }

    [Fact]
    public async Task An_ssh_profiles_private_key_is_dropped_as_it_is_read()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        const string secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcy1mb3ItdGhlLXRlc3Q=\n-----END OPENSSH PRIVATE KEY-----";
        var created = await c.Imco!.SendAsync<DciSshProfile>(HttpMethod.Post, "cloud/ssh_profiles", new Dictionary<string, object?>
        {
            ["name"] = "with-key", ["public_key"] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIwithkey test", ["private_key"] = secret,
        }, default);
        var read = await c.Imco.GetSshProfileAsync(created.Id!, default);
        foreach (var profile in new[] { created, read })
        {
            Assert.True(profile.HasPrivateKey);
            Assert.Null(profile.AdditionalProperties);
            var json = JsonSerializer.Serialize(profile, ImcoClient.JsonOptions);
            Assert.DoesNotContain("c2VjcmV0LWtleS1ieXRlcy1mb3ItdGhlLXRlc3Q", json);
            Assert.DoesNotContain("private", json);
            Assert.DoesNotContain("PRIVATE", profile.ToString());
        }
        var seeded = (await c.Imco.ListSshProfilesAsync(default).ToListAsync()).Single(p => p.Name == "default");
        Assert.False(seeded.HasPrivateKey);
    }

    [Fact]
    public async Task Attach_answers_the_resource_and_detach_reads_it_again()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var imco = c.Imco!;
        var server = (await imco.ListServersAsync(default).ToListAsync())[0];
        var volume = (await imco.ListVolumesAsync(default).ToListAsync())[0];
        var attached = await imco.AttachVolumeAsync(volume.Id!, server.Id, default);
        Assert.Equal("attached", attached.State);
        Assert.Equal(server.Id, attached.AttachedServerId);
        Assert.Same(c, attached.Connection);
        Assert.Equal(volume.Id, Assert.Single(await imco.ListServerVolumesAsync(server.Id, default).ToListAsync()).Id);
        var requests = sim.State.RequestCount;
        var detached = await imco.DetachVolumeAsync(volume.Id!, default);
        Assert.Equal(requests + 2, sim.State.RequestCount); // the DELETE (no body) and one GET of the volume
        Assert.Equal("detached", detached.State);
        Assert.Null(detached.AttachedServerId);
        Assert.Null(detached.Device);
        Assert.Equal(1, sim.State.Ledger.Count(e => e.Operation == "volume_detach" && e.Detail == volume.Id));

        var ip = (await imco.ListFloatingIpsAsync(default).ToListAsync())[0];
        Assert.Equal("attached", (await imco.AttachFloatingIpAsync(ip.Id!, server.Id, default)).State);
        var again = await Assert.ThrowsAsync<DciApiException>(() => imco.AttachFloatingIpAsync(ip.Id!, server.Id, default));
        Assert.Equal(422, again.HttpStatus);
        Assert.Equal("detached", (await imco.DetachFloatingIpAsync(ip.Id!, default)).State);
    }

    [Fact]
    public async Task A_servers_events_name_the_server_and_audit_events_do_not()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var server = (await c.Imco!.ListServersAsync(default).ToListAsync())[1];
        var events = await c.Imco.ListServerEventsAsync(server.Id, default).ToListAsync();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(server.Id, e.ServerId));
        Assert.All(events, e => Assert.NotNull(e.Timestamp));
        var audit = await c.Imco.ListAuditEventsAsync(default).ToListAsync();
        Assert.NotEmpty(audit);
        Assert.All(audit, e => Assert.Null(e.ServerId));
        var missing = await Assert.ThrowsAsync<DciApiException>(() => c.Imco.ListServerEventsAsync("ffffffffffffffffffffff01", default).ToListAsync());
        Assert.Equal(DciErrorKind.NotFound, missing.Kind ?? (missing.HttpStatus == 404 ? DciErrorKind.NotFound : null));
    }

    [Fact]
    public async Task A_volume_refused_by_IMCO_lists_every_field_message()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var refused = await Assert.ThrowsAsync<DciApiException>(() => c.Imco!.CreateVolumeAsync(new ImcoNewVolume
        {
            Name = "v", Size = 5000, CloudAccountId = "ffffffffffffffffffffff01", StoragePlanId = "ffffffffffffffffffffff02",
        }, default));
        Assert.Equal(422, refused.HttpStatus);
        Assert.Contains("cloud_account_id", refused.Message);
        Assert.Contains("storage_plan_id", refused.Message);
        Assert.Equal(0, sim.State.Ledger.Count(e => e.Operation == "volume_create"));
    }
}
