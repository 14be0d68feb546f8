using System.Management.Automation;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.PowerShell.Tests;

/// <summary>Get- cmdlets given many ids (as a list or through the pipeline) send few list requests, keep the order, and report each missing id.</summary>
public sealed class IdBatchingTests
{
    [Fact]
    public async Task Two_hundred_server_ids_as_a_list_or_piped_in_are_one_request_in_the_order_given()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { Servers = 300 });
        var expected = Enumerable.Range(1, 200).Select(i => (long)i).Reverse().ToArray();

        var before = session.Simulator.State.RequestCount;
        var listed = session.Run("Get-DciServer -Id (200..1)").ThrowOnError().Objects<DciServer>();
        Assert.Equal(1, session.Simulator.State.RequestCount - before);
        Assert.Equal(expected, listed.Select(s => s.Id));

        before = session.Simulator.State.RequestCount;
        var piped = session.Run("200..1 | Get-DciServer").ThrowOnError().Objects<DciServer>();
        Assert.Equal(1, session.Simulator.State.RequestCount - before);
        Assert.Equal(expected, piped.Select(s => s.Id));
    }

    [Fact]
    public async Task Piped_ids_are_looked_up_a_page_at_a_time()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { Servers = 1200 });
        var before = session.Simulator.State.RequestCount;
        // Page size 500: ids 1..500 go out while 501.. are still coming.
        var servers = session.Run("1..1200 | Get-DciServer").ThrowOnError().Objects<DciServer>();
        Assert.Equal(Enumerable.Range(1, 1200).Select(i => (long)i), servers.Select(s => s.Id));
        Assert.Equal(3, session.Simulator.State.RequestCount - before);
    }

    [Fact]
    public async Task Each_missing_id_is_one_ObjectNotFound_error_and_the_others_still_come()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("Get-DciServer -Id 5, 99999, 3, 88888");
        Assert.Null(result.Terminating);
        Assert.Equal(new long[] { 5, 3 }, result.Objects<DciServer>().Select(s => s.Id));
        Assert.Equal(2, result.Errors.Length);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.Equal("Dci.Api.404,DciManager.Commands.GetDciServerCommand", e.FullyQualifiedErrorId);
        });
        Assert.Equal(new object[] { 99999L, 88888L }, result.Errors.Select(e => e.TargetObject));
    }

    [Fact]
    public async Task Tasks_users_pools_and_networks_by_id_come_in_the_order_given_with_errors_for_the_missing()
    {
        await using var session = await ModuleSession.StartAsync();
        var taskIds = session.Simulator.State.GetTasks().Select(t => (long)t.Id).Take(3).ToArray();
        Assert.Equal(3, taskIds.Length);
        session.Set("taskIds", new[] { taskIds[2], 987654L, taskIds[0] });

        var before = session.Simulator.State.RequestCount;
        var tasks = session.Run("Get-DciTask -Id $taskIds");
        Assert.Equal(1, session.Simulator.State.RequestCount - before);
        Assert.Equal(new[] { taskIds[2], taskIds[0] }, tasks.Objects<DciTask>().Select(t => t.Id));
        Assert.Equal("Dci.Api.404,DciManager.Commands.GetDciTaskCommand", Assert.Single(tasks.Errors).FullyQualifiedErrorId);

        var users = session.Run("Get-DciUser -Id 3, 4040, 2");
        Assert.Equal(new long[] { 3, 2 }, users.Objects<DciUser>().Select(u => u.Id));
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(users.Errors).CategoryInfo.Category);

        Assert.Equal(new long[] { 2, 1 }, session.Run("Get-DciIpPool -Id 2, 1").ThrowOnError().Objects<DciIpPool>().Select(p => p.Id));
        var networks = session.Run("Get-DciIpNetwork -Id 1, 999");
        Assert.Equal(new long[] { 1 }, networks.Objects<DciIpNetwork>().Select(n => n.Id));
        Assert.Single(networks.Errors);
    }

    [Fact]
    public async Task Tasks_and_addresses_still_bind_their_ServerId_and_the_lookups_are_batched()
    {
        await using var session = await ModuleSession.StartAsync();
        var before = session.Simulator.State.RequestCount;
        var servers = session.Run("""
            $tasks = 3, 9, 4 | ForEach-Object { [DciManager.Client.DciTask]@{ Id = 1; ServerId = $_ } }
            $tasks | Get-DciServer
            """).ThrowOnError().Objects<DciServer>();
        Assert.Equal(new long[] { 3, 9, 4 }, servers.Select(s => s.Id));
        Assert.Equal(1, session.Simulator.State.RequestCount - before);
    }
}
