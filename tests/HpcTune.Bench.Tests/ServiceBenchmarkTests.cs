using System.Globalization;
using HpcTune.Bench.Service;
using HpcTune.Gp.Sampling;

namespace HpcTune.Bench.Tests;

/// <summary>
/// The service benchmarks run at a tiny size against a real <c>serve</c> process (HpcTune.dll built beside the tests)
/// and write the table their results file quotes; no figure is asserted beyond "some pairs went through".
/// </summary>
public sealed class ServiceBenchmarkTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("hpctune-bench-service-test-");

    [Fact]
    public async Task Service_measures_every_transport_and_writes_one_row_each()
    {
        var csv = Path.Combine(_directory.FullName, "service.csv");
        await ServiceBenchmark.RunAsync(BenchArguments.Parse(
            ["--clients", "2", "--transports", "grpc-web,json,grpc-tls", "--pairs", "3", "--warmup-seconds", "0", "--dir", _directory.FullName, "--csv", csv],
            ServiceBenchmark.Options));

        var lines = await File.ReadAllLinesAsync(csv, TestContext.Current.CancellationToken);
        Assert.Equal(string.Join(',', ServiceBenchmark.Header), lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["grpc-web", "json", "grpc-tls"], rows.Select(r => r[0]));
        foreach (var row in rows)
        {
            Assert.Equal(ServiceBenchmark.Header.Length, row.Length);
            Assert.Equal("2", row[1]);
            Assert.True(int.Parse(row[2], CultureInfo.InvariantCulture) >= 2, $"fewer pairs than workers went through over {row[0]}");
            Assert.True(double.Parse(row[3], CultureInfo.InvariantCulture) > 0);
            Assert.True(double.Parse(row[5], CultureInfo.InvariantCulture) >= double.Parse(row[4], CultureInfo.InvariantCulture), "p99 below p50");
        }

        Assert.Empty(_directory.GetDirectories()); // each cell's checkpoint is removed
    }

    [Fact]
    public async Task Service_quality_runs_a_served_study_to_its_budget()
    {
        GpSampler.Register(); // as the bench's Main does
        var csv = Path.Combine(_directory.FullName, "quality.csv");
        await ServiceQualityBenchmark.RunAsync(BenchArguments.Parse(
            ["--seeds", "1", "--budget", "4", "--workers", "2", "--functions", "branin", "--paths", "service", "--dir", _directory.FullName, "--csv", csv],
            ServiceQualityBenchmark.Options));

        var lines = await File.ReadAllLinesAsync(csv, TestContext.Current.CancellationToken);
        Assert.Equal("function,path,workers,budget,seeds,median_regret,q1,q3,wall_s_per_run", lines[0]);
        var row = Assert.Single(lines.Skip(1)).Split(',');
        Assert.Equal(["branin", "service", "2", "4", "1"], row[..5]);
        Assert.True(double.Parse(row[5], CultureInfo.InvariantCulture) >= 0, "a regret below the minimum");
    }

    [Theory]
    [InlineData(new[] { "--transports", "grpc,json" }, "--transports: unknown transport 'grpc'")]
    [InlineData(new[] { "--seconds", "0" }, "--seconds must be above 0")]
    [InlineData(new[] { "--clients", "0" }, "--clients: expected at least 1, got 0")]
    [InlineData(new[] { "--pairs", "10", "--seconds", "5" }, "give --seconds (a measured time) or --pairs")]
    [InlineData(new[] { "--server-env", "DOTNET_gcServer" }, "--server-env: expected NAME=VALUE, got 'DOTNET_gcServer'")]
    [InlineData(new[] { "--cli", "/nonexistent/HpcTune.dll" }, "--cli: no HpcTune.dll at /nonexistent/HpcTune.dll")]
    public async Task Service_refuses_a_bad_argument_before_any_run(string[] args, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ServiceBenchmark.RunAsync(BenchArguments.Parse(args, ServiceBenchmark.Options)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
