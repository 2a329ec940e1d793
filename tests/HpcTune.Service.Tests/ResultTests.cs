using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary>What a worker sends counts once, in the right place, or is refused with a status that says why.</summary>
public sealed class ResultTests
{
    [Fact]
    public async Task A_result_sent_again_is_a_duplicate_and_another_result_a_conflict()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study());
        var trial = (await server.OkAsync("/v1/studies/-/suggest", new { worker = "w" }))["trials"]![0]!;
        var id = trial["id"]!.GetValue<long>();

        var first = await server.OkAsync($"/v1/studies/-/trials/{id}/observe", new { worker = "w", value = 0.25 });
        Assert.True(first["recorded"]!.GetValue<bool>());
        Assert.False(first["duplicate"]!.GetValue<bool>());

        var again = await server.OkAsync($"/v1/studies/-/trials/{id}/observe", new { worker = "w", value = 0.25 });
        Assert.True(again["duplicate"]!.GetValue<bool>());

        var (status, body) = await server.PostAsync($"/v1/studies/-/trials/{id}/observe", new { worker = "w", value = 0.5 });
        Assert.Equal(409, status);
        Assert.Contains("already completed", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await server.PostAsync($"/v1/studies/-/trials/{id}/fail", new { worker = "w", reason = "late" });
        Assert.Equal(409, status);

        var stats = (await server.GetAsync("/v1/studies/-/stats")).Body;
        Assert.Equal(1, stats["counts"]!["completed"]!.GetValue<int>());
        Assert.Equal(0.25, stats["best"]!["values"]!["loss"]!.GetValue<double>());
    }

    [Fact]
    public async Task Wrong_metric_names_are_the_callers_mistake_and_do_not_stop_the_study()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study());
        var id = (await server.OkAsync("/v1/studies/-/suggest", new { worker = "w" }))["trials"]![0]!["id"]!.GetValue<long>();

        var (status, body) = await server.PostAsync($"/v1/studies/-/trials/{id}/observe", new { worker = "w", values = new Dictionary<string, double> { ["accuracy"] = 1 } });
        Assert.Equal(400, status);
        Assert.Contains("unknown metric 'accuracy'", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await server.PostAsync($"/v1/studies/-/trials/{id}/observe", new { worker = "w" });
        Assert.Equal(400, status);
        Assert.Contains("loss", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await server.PostAsync("/v1/studies/-/trials/999/observe", new { worker = "w", value = 1.0 });
        Assert.Equal(404, status);

        var info = (await server.GetAsync("/v1/studies/-")).Body;
        Assert.Equal("running", info["status"]!.GetValue<string>());
        Assert.True((await server.OkAsync($"/v1/studies/-/trials/{id}/observe", new { worker = "w", values = new Dictionary<string, double> { ["loss"] = 2 } }))["recorded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_worker_that_asks_again_gets_its_own_trials_and_slots_share_its_name()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study(bandwidth: 4));
        var first = (await server.OkAsync("/v1/studies/-/suggest", new { worker = "node-7", count = 3 }))["trials"]!.AsArray();
        Assert.Equal(["node-7", "node-7.1", "node-7.2"], first.Select(t => t!["worker"]!.GetValue<string>()));

        var again = (await server.OkAsync("/v1/studies/-/suggest", new { worker = "node-7", count = 3 }))["trials"]!.AsArray();
        Assert.Equal(first.Select(t => t!["id"]!.GetValue<long>()), again.Select(t => t!["id"]!.GetValue<long>()));

        // The worker speaks for any of its slots by its own name; another worker may not release them.
        var second = first[1]!["id"]!.GetValue<long>();
        Assert.False((await server.OkAsync($"/v1/studies/-/trials/{second}/heartbeat", new { worker = "node-7" }))["abandon"]!.GetValue<bool>());
        var (status, body) = await server.PostAsync($"/v1/studies/-/trials/{second}/release", new { worker = "node-8" });
        Assert.Equal(409, status);
        Assert.Contains("held by node-7.1", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("interrupted", (await server.OkAsync($"/v1/studies/-/trials/{second}/release", new { worker = "node-7" }))["trial"]!["state"]!.GetValue<string>());

        // The released trial goes out first; bandwidth 4 with two open leaves room for one new trial; then wait.
        var other = (await server.OkAsync("/v1/studies/-/suggest", new { worker = "node-8", count = 3 }))["trials"]!.AsArray();
        Assert.Equal(2, other.Count);
        Assert.Equal(second, other[0]!["id"]!.GetValue<long>());
        var waiting = await server.OkAsync("/v1/studies/-/suggest", new { worker = "node-9" });
        Assert.Equal("wait", waiting["status"]!.GetValue<string>());
        Assert.Empty(waiting["trials"]!.AsArray());
    }

    [Fact]
    public async Task A_long_poll_is_answered_by_the_change_that_frees_a_trial_and_the_budget_ends_in_finished()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study(budget: 2, bandwidth: 1));
        var id = (await server.OkAsync("/v1/studies/-/suggest", new { worker = "a" }))["trials"]![0]!["id"]!.GetValue<long>();

        var polling = server.OkAsync("/v1/studies/-/suggest", new { worker = "b", waitSeconds = 60 });
        Assert.False(polling.IsCompleted);
        await server.OkAsync($"/v1/studies/-/trials/{id}/observe", new { worker = "a", value = 1.0 });
        var handed = await polling.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal("ok", handed["status"]!.GetValue<string>());
        var next = handed["trials"]![0]!["id"]!.GetValue<long>();

        await server.OkAsync($"/v1/studies/-/trials/{next}/observe", new { worker = "b", value = 2.0 });
        var done = await server.OkAsync("/v1/studies/-/suggest", new { worker = "c", waitSeconds = 5 });
        Assert.Equal("finished", done["status"]!.GetValue<string>());
        Assert.Equal("done", (await server.GetAsync("/v1/studies/-")).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Insert_validates_against_the_space_and_refuses_a_duplicate()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study());
        var inserted = await server.OkAsync("/v1/studies/-/trials", new { assignments = new Dictionary<string, object> { ["x"] = 0.5, ["k"] = "b" }, values = new Dictionary<string, double> { ["loss"] = 0.1 } });
        Assert.Equal("completed", inserted["trial"]!["state"]!.GetValue<string>());

        var (status, body) = await server.PostAsync("/v1/studies/-/trials", new { assignments = new Dictionary<string, object> { ["x"] = 0.5, ["k"] = "b" } });
        Assert.Equal(409, status);
        Assert.Contains("duplicate", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await server.PostAsync("/v1/studies/-/trials", new { assignments = new Dictionary<string, object> { ["x"] = 3, ["k"] = "b" } });
        Assert.Equal(400, status);
        Assert.Contains("outside", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await server.PostAsync("/v1/studies/-/trials", new { assignments = new Dictionary<string, object> { ["x"] = 0.1, ["k"] = "c" } });
        Assert.Equal(400, status);

        var completed = (await server.GetAsync("/v1/studies/-/trials?state=completed")).Body["trials"]!.AsArray();
        Assert.Single(completed);
        Assert.Equal(400, (await server.GetAsync("/v1/studies/-/trials?state=finished")).Status);
    }
}
