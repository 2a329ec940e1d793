using System.Net.Http.Headers;
using System.Text;
using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary>Every call needs the server's token; bad bodies are refused with a reason; the server listens on loopback unless told.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecurityTests
{
    [Fact]
    public async Task A_call_without_the_token_or_with_a_wrong_one_is_refused_with_401()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study());
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Url) };
        var (status, body) = await server.PostAsync("/v1/studies/-/suggest", new { worker = "w" }, anonymous);
        Assert.Equal(401, status);
        Assert.Contains("no token", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var wrong = new HttpClient { BaseAddress = new Uri(server.Url) };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token + "x");
        (status, body) = await server.GetAsync("/v1/studies/-/stats", wrong);
        Assert.Equal(401, status);
        Assert.Contains("wrong token", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Nothing was handed out to the refused callers.
        var stats = (await server.GetAsync("/v1/studies/-/stats")).Body;
        Assert.Equal(0, stats["counts"]!["open"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_token_file_is_the_owners_only_and_survives_a_restart()
    {
        using var folder = new StudyFolder();
        string token;
        await using (var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study()))
        {
            token = server.Token;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder.Checkpoint, "token")));
            Assert.True(token.Length >= 40, token);
            await server.KillAsync();
        }

        await using (var again = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint))
        {
            Assert.Equal(token, again.Token);
            Assert.Equal(200, (await again.GetAsync("/v1/studies/-")).Status);
            await again.KillAsync();
        }

        // A token others may read is no secret: the server refuses to start on it and says how to fix it.
        File.SetUnixFileMode(Path.Combine(folder.Checkpoint, "token"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var (code, stderr) = await ServerUnderTest.RefusedAsync("--checkpoint", folder.Checkpoint);
        Assert.Equal(2, code);
        Assert.Contains("chmod 600", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_and_oversized_bodies_are_refused_and_the_study_goes_on()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study());
        using (var broken = new StringContent("{\"worker\": \"w\", \"count\": ", Encoding.UTF8, "application/json"))
        {
            using var response = await server.Http.PostAsync("/v1/studies/-/suggest", broken, TestContext.Current.CancellationToken);
            Assert.Equal(400, (int)response.StatusCode);
        }

        var (status, body) = await server.PostAsync("/v1/studies/-/suggest", new { worker = "w", count = "many" });
        Assert.Equal(400, status);
        Assert.False(string.IsNullOrEmpty(body["message"]?.GetValue<string>()));

        (status, body) = await server.PostAsync("/v1/studies/-/suggest", new { worker = "has space" });
        Assert.Equal(400, status);
        Assert.Contains("worker", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Refused on its Content-Length before the body is sent (100-continue), so the client hears why.
        using (var careful = new HttpClient { BaseAddress = new Uri(server.Url) })
        {
            careful.DefaultRequestHeaders.Authorization = server.Http.DefaultRequestHeaders.Authorization;
            careful.DefaultRequestHeaders.ExpectContinue = true;
            (status, _) = await server.PostAsync("/v1/studies/-/trials/1/fail", new { worker = "w", reason = new string('x', 5 * 1024 * 1024) }, careful);
            Assert.Equal(413, status);
        }

        var suggested = await server.OkAsync("/v1/studies/-/suggest", new { worker = "w" });
        Assert.Equal("ok", suggested["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_server_listens_on_loopback_unless_told_otherwise()
    {
        using var folder = new StudyFolder();
        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study());
        Assert.StartsWith("http://127.0.0.1:", server.Url, StringComparison.Ordinal);
        var listening = File.ReadAllLines("/proc/net/tcp").Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] == "0A" && Convert.ToInt32(f[1].Split(':')[1], 16) == server.Port).Select(f => f[1].Split(':')[0]).ToList();
        Assert.Equal(["0100007F"], listening); // 127.0.0.1, and no other address
    }
}
