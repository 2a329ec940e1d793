using System.Text.Json.Nodes;
using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary><c>serve --root</c>: many studies by name, created by clients, found again on start.</summary>
public sealed class RootTests
{
    [Fact]
    public async Task Clients_create_studies_by_name_and_a_restart_finds_them()
    {
        using var folder = new StudyFolder();
        var root = folder.Combine("studies");
        var definition = JsonNode.Parse(StudyFolder.Definition(name: "svm digits"))!;
        await using (var server = await ServerUnderTest.StartAsync(root, "--root", root))
        {
            Assert.Empty((await server.GetAsync("/v1/studies")).Body["studies"]!.AsArray());
            var (status, body) = await server.PostAsync("/v1/studies/-/suggest", new { worker = "w" });
            Assert.Equal(404, status);
            Assert.Contains("create one", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

            var first = await server.OkAsync("/v1/studies", new { definition });
            var second = await server.OkAsync("/v1/studies", new { definition });
            Assert.Equal("svm-digits", first["id"]!.GetValue<string>());
            Assert.Equal("svm-digits-2", second["id"]!.GetValue<string>());

            // A named create is idempotent for the same study and a conflict for another one.
            Assert.Equal("mine", (await server.OkAsync("/v1/studies", new { id = "mine", definition }))["id"]!.GetValue<string>());
            Assert.Equal("mine", (await server.OkAsync("/v1/studies", new { id = "mine", definition }))["id"]!.GetValue<string>());
            var other = JsonNode.Parse(StudyFolder.Definition(budget: 99, name: "svm digits"))!;
            (status, body) = await server.PostAsync("/v1/studies", new { id = "mine", definition = other });
            Assert.Equal(409, status);
            Assert.Contains("observation_budget", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
            (status, _) = await server.PostAsync("/v1/studies", new { id = "../escape", definition });
            Assert.Equal(400, status);
            (status, body) = await server.PostAsync("/v1/studies", new { id = "bad", definition = new { name = "x" } });
            Assert.Equal(400, status);
            Assert.Contains("parameters", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

            var trial = (await server.OkAsync("/v1/studies/mine/suggest", new { worker = "w" }))["trials"]![0]!;
            await server.OkAsync($"/v1/studies/mine/trials/{trial["id"]}/observe", new { worker = "w", value = 0.5 });
            (status, _) = await server.PostAsync("/v1/studies/-/suggest", new { worker = "w" });
            Assert.Equal(404, status); // several studies: "-" names none of them
            await server.KillAsync();
        }

        Assert.False(Directory.Exists(Path.Combine(root, "..", "escape")));
        await using var again = await ServerUnderTest.StartAsync(root, "--root", root);
        var ids = (await again.GetAsync("/v1/studies")).Body["studies"]!.AsArray().Select(s => s!["id"]!.GetValue<string>());
        Assert.Equal(["mine", "svm-digits", "svm-digits-2"], ids);
        Assert.Equal(1, (await again.GetAsync("/v1/studies/mine")).Body["counts"]!["completed"]!.GetValue<int>());
    }
}
