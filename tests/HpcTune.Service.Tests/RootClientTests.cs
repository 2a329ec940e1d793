using HpcTune.Client;
using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary>The C# client creates studies on a <c>serve --root</c> server and works on them by id.</summary>
public sealed class RootClientTests : IDisposable
{
    private readonly ClientWorkspace _w = new();

    [Fact]
    public async Task CreateStudy_connects_to_the_new_study_and_a_retried_create_is_the_same_study()
    {
        var root = _w.Combine("studies");
        await using var server = await ServerUnderTest.StartAsync(root, "--root", root);
        var options = new ExperimentClientOptions { Url = new Uri(server.Url), TokenFile = Path.Combine(root, "token"), Worker = "w1" };
        var definition = File.ReadAllText(_w.Study(budget: 3));
        var token = TestContext.Current.CancellationToken;

        using var client = await ExperimentClient.CreateStudyAsync(options, definition, "alpha", token);
        Assert.Equal("alpha", client.StudyId);
        Assert.Equal("client-test", client.Definition!.Name);
        Assert.Equal(3, await client.WorkOnAsync((trial, _) => Task.FromResult(trial.Parameters.GetDouble("x2")), null, token));
        Assert.True(await client.IsDoneAsync(token));

        using var again = await ExperimentClient.CreateStudyAsync(options, definition, "alpha", token); // a retried create
        Assert.Equal(3, again.Study.Counts.Completed);
        Assert.Contains("alpha", (await again.ListStudiesAsync(token)).Select(s => s.Id));
        using var byId = await ExperimentClient.ConnectAsync(new ExperimentClientOptions { Url = options.Url, TokenFile = options.TokenFile, Study = "alpha" }, token);
        Assert.Equal(3, (await byId.GetStatsAsync(token)).Counts.Completed);
        await Assert.ThrowsAsync<HpcTune.Study.DefinitionException>(() => ExperimentClient.CreateStudyAsync(options, "{}", "beta", token));
    }

    public void Dispose() => _w.Dispose();
}
