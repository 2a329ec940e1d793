using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary>One master drives threads of its own process and network workers at the same time.</summary>
public sealed class ThreadsBesideNetworkTests
{
    [Fact]
    public async Task Local_threads_and_a_network_worker_share_the_budget_exactly()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study(budget: 20, bandwidth: 3), "--workers", "2", "--command", "/bin/sh", "-c", "sleep 0.2; echo 7");
        var mine = 0;
        while (true)
        {
            var answer = await server.OkAsync("/v1/studies/-/suggest", new { worker = "remote", waitSeconds = 10 });
            if (answer["status"]!.GetValue<string>() == "finished")
            {
                break;
            }

            foreach (var trial in answer["trials"]!.AsArray())
            {
                await server.OkAsync($"/v1/studies/-/trials/{trial!["id"]}/observe", new { worker = "remote", value = 100.0 });
                mine++;
            }
        }

        Assert.Equal(0, await server.TerminateAsync()); // the study is done: exit 0 even when stopped by a signal
        var trials = ReadExport(folder.Checkpoint);
        Assert.Equal(20, trials.Count(t => t.State == "completed"));
        Assert.Equal(mine, trials.Count(t => t.Worker == "remote"));
        Assert.True(mine > 0);
        Assert.Contains(trials, t => t.Worker.StartsWith("thread-", StringComparison.Ordinal));
    }

    private static List<(string State, string Worker)> ReadExport(string checkpoint)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "HpcTune.dll"), "export", "--checkpoint", checkpoint, "--format", "json" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var json = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        var rows = json is System.Text.Json.Nodes.JsonArray array ? array : json["trials"]!.AsArray();
        return [.. rows.Select(t => (t!["state"]!.GetValue<string>(), t["worker"]?.GetValue<string>() ?? ""))];
    }
}
