using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HpcTune.Cli.Tests;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Service.Tests;

/// <summary><c>mpiexec -n 3 HpcTune serve</c>: rank 0 is the master of its ranks' study and serves it to the network too.</summary>
public sealed class MpiBesideNetworkTests : IDisposable
{
    private const int Budget = 16;
    private readonly ClientWorkspace _w = new();

    [Fact]
    public async Task Mpi_ranks_and_a_network_worker_share_one_master_and_the_budget_exactly()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var job = MpiLauncher.Start(_w.Path, 3, ["serve", "--checkpoint", _w.Checkpoint, "--study", _w.Study(budget: Budget, bandwidth: 6), // two ranks hold 2 trials each (one ahead), which leaves 2 for the network
            "--listen", "127.0.0.1:0", "--command", .. _w.ObjectiveCommand(sleepSeconds: 1)]);
        // The URL from the file serve writes beside the token, as a job script's workers would find it.
        var urlFile = Path.Combine(_w.Checkpoint, "url");
        while (!File.Exists(urlFile) && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var url = File.Exists(urlFile) ? File.ReadAllText(urlFile).Trim() : null;
        var output = HpcTuneProcess.CollectAsync(job, TimeSpan.FromMinutes(3), () => MpiLauncher.Signal(job, "KILL"));
        if (url is null)
        {
            Assert.Fail($"serve wrote no URL: {await output}");
        }

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_w.TokenFile).Trim());
        var mine = 0;
        var lastAnswer = TimeSpan.Zero;
        var ended = "";
        while (true)
        {
            HttpResponseMessage asked;
            try
            {
                asked = await http.PostAsJsonAsync("/v1/studies/-/suggest", new { worker = "remote", waitSeconds = 10 }, TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException e)
            {
                // Refused: the server is not up yet, or the job ended with the study (then it stays refused).
                ended = $"{e.Message} after {clock.Elapsed.TotalSeconds:F1} s";
                if (clock.Elapsed - lastAnswer > TimeSpan.FromSeconds(20))
                {
                    break;
                }

                await Task.Delay(100, TestContext.Current.CancellationToken);
                continue;
            }

            lastAnswer = clock.Elapsed;
            using var _ = asked;

            var text = await asked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            ended = $"{(int)asked.StatusCode} {text[..Math.Min(200, text.Length)]}";
            var answer = JsonNode.Parse(text)!;
            if (answer["status"]!.GetValue<string>() == "finished")
            {
                break;
            }

            foreach (var trial in answer["trials"]!.AsArray())
            {
                var x = trial!["assignments"]!;
                var value = x["x1"]!.GetValue<double>() + (2 * x["x2"]!.GetValue<double>());
                using var told = await http.PostAsJsonAsync($"/v1/studies/-/trials/{trial["id"]}/observe", new { worker = "remote", value }, TestContext.Current.CancellationToken);
                Assert.True(told.IsSuccessStatusCode, await told.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                mine++;
            }
        }

        var result = await output;
        Assert.True(result.ExitCode == 0, result.ToString());
        var completed = Checkpoint.Read(_w.Checkpoint).State.Trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.Equal(Budget, completed.Count);
        Assert.Equal(mine, completed.Count(t => t.Worker == "remote"));
        Assert.True(mine > 0, $"the network worker got no trial; its last call: {ended}\n{result}");
        Assert.Contains(completed, t => t.Worker.StartsWith("rank-", StringComparison.Ordinal));
        Assert.All(completed, t => Assert.Equal(t.Assignment.GetDouble("x1") + (2 * t.Assignment.GetDouble("x2")), t.Values!["value"], 9));
    }

    public void Dispose() => _w.Dispose();
}
