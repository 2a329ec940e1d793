using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary>
/// The server killed with SIGKILL and started again on its checkpoint: what it acknowledged is there, what workers
/// were evaluating is theirs again when they come back, and nothing counts twice.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task After_a_kill_workers_take_back_their_trials_and_acknowledged_results_stay_counted_once()
    {
        using var folder = new StudyFolder();
        var study = folder.Study(budget: 6, bandwidth: 3);
        int port;
        long kept, lost, done;
        await using (var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", study))
        {
            port = server.Port;
            var trials = (await server.OkAsync("/v1/studies/-/suggest", new { worker = "w", count = 3 }))["trials"]!.AsArray();
            (done, kept, lost) = (trials[0]!["id"]!.GetValue<long>(), trials[1]!["id"]!.GetValue<long>(), trials[2]!["id"]!.GetValue<long>());
            Assert.True((await server.OkAsync($"/v1/studies/-/trials/{done}/observe", new { worker = "w", value = 1.0 }))["recorded"]!.GetValue<bool>());
            await server.KillAsync();
        }

        await using var again = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--listen", $"127.0.0.1:{port}");
        Assert.Equal(port, again.Port);

        // The acknowledged result survived; sending it again (its answer might have been lost) counts once.
        Assert.True((await again.OkAsync($"/v1/studies/-/trials/{done}/observe", new { worker = "w", value = 1.0 }))["duplicate"]!.GetValue<bool>());

        // The worker still evaluating trial `kept` heartbeats and keeps it; `lost`'s worker never comes back.
        Assert.False((await again.OkAsync($"/v1/studies/-/trials/{kept}/heartbeat", new { worker = "w" }))["abandon"]!.GetValue<bool>());
        var keptTrial = (await again.GetAsync($"/v1/studies/-/trials/{kept}")).Body["trial"]!;
        Assert.Equal("open", keptTrial["state"]!.GetValue<string>());
        Assert.Equal("w.1", keptTrial["worker"]!.GetValue<string>());
        Assert.Equal("interrupted", (await again.GetAsync($"/v1/studies/-/trials/{lost}")).Body["trial"]!["state"]!.GetValue<string>());

        // The interrupted trial goes out first, to whoever asks.
        var next = (await again.OkAsync("/v1/studies/-/suggest", new { worker = "v" }))["trials"]![0]!;
        Assert.Equal(lost, next["id"]!.GetValue<long>());
        Assert.True((await again.OkAsync($"/v1/studies/-/trials/{kept}/observe", new { worker = "w", value = 2.0 }))["recorded"]!.GetValue<bool>());

        var stats = (await again.GetAsync("/v1/studies/-/stats")).Body;
        Assert.Equal(2, stats["counts"]!["completed"]!.GetValue<int>());
        Assert.Equal(1, stats["counts"]!["open"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_worker_that_stops_heartbeating_loses_its_trial_to_another()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study(bandwidth: 1), "--lease", "1");
        var id = (await server.OkAsync("/v1/studies/-/suggest", new { worker = "silent" }))["trials"]![0]!["id"]!.GetValue<long>();

        // Bandwidth 1: the next worker waits until the lease runs out, then gets the same trial.
        var next = await server.OkAsync("/v1/studies/-/suggest", new { worker = "busy", waitSeconds = 30 });
        Assert.Equal("ok", next["status"]!.GetValue<string>());
        Assert.Equal(id, next["trials"]![0]!["id"]!.GetValue<long>());
        Assert.Equal("busy", next["trials"]![0]!["worker"]!.GetValue<string>());

        // The silent worker comes back late: its heartbeat says go on (its result would still count if first).
        var late = await server.OkAsync($"/v1/studies/-/trials/{id}/observe", new { worker = "silent", value = 3.0 });
        Assert.True(late["recorded"]!.GetValue<bool>());
        Assert.True((await server.OkAsync($"/v1/studies/-/trials/{id}/heartbeat", new { worker = "busy" }))["abandon"]!.GetValue<bool>());
    }
}
