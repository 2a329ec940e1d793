using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using HpcTune.Objectives;
using HpcTune.Study;

namespace HpcTune.Bench.Service;

/// <summary>
/// <c>service</c>: suggest → observe pairs per second through a real <c>HpcTune serve</c> process over loopback, with
/// C concurrent workers (random sampler, zero-cost objective: Branin, a big budget), over gRPC-Web (HTTP/1.1),
/// HTTP/JSON and gRPC over HTTP/2 with TLS. Each cell gets a fresh server. The workers run in this process as async
/// loops, each with its own connection: one load process keeps the client side's CPU in one figure (bench_cpu) beside
/// the server's (from /proc/PID/stat), which on a 2-core machine is what decides the rate, and a worker process per
/// client would only add 64 runtimes' memory and start-up. After a warm-up, pairs that end within the measured window
/// count; latencies are of those pairs: the whole pair, the suggest call and the observe call (which answers once the
/// result is on disk: the group fsync).
/// </summary>
internal static class ServiceBenchmark
{
    /// <summary>The options <c>service</c> takes.</summary>
    public static readonly string[] Options = ["clients", "transports", "seconds", "pairs", "warmup-seconds", "dir", "cli", "server-env", "csv"];

    public static readonly string[] Header =
    [
        "transport", "clients", "pairs", "pairs_per_s", "pair_p50_ms", "pair_p99_ms", "suggest_p50_ms", "suggest_p99_ms",
        "observe_p50_ms", "observe_p99_ms", "server_cpu", "server_us_per_pair", "bench_cpu", "bench_us_per_pair",
    ];

    public static async Task RunAsync(BenchArguments arguments)
    {
        var clientCounts = arguments.Ints("clients", "1,8,64", min: 1);
        var transports = arguments.List("transports", ServiceTransports.All).Select(ServiceTransports.Parse).ToArray();
        var seconds = arguments.Double("seconds", 5);
        var warmup = arguments.Double("warmup-seconds", 1);
        if (seconds <= 0 || warmup < 0)
        {
            throw new ArgumentException($"--seconds must be above 0 and --warmup-seconds at least 0, got {seconds} and {warmup}");
        }

        if (arguments.Has("pairs") && arguments.Has("seconds"))
        {
            throw new ArgumentException("give --seconds (a measured time) or --pairs (pairs each worker makes after the warm-up), not both");
        }

        // A fixed count of pairs measures however slow the machine is: what a test needs, where a window may catch none.
        int? pairs = arguments.Has("pairs") ? arguments.Int("pairs", 0, min: 1) : null;

        var root = arguments.Text("dir", Path.GetTempPath());
        if (!Directory.Exists(root))
        {
            throw new ArgumentException($"--dir: no folder {root}");
        }

        var cli = ServeProcess.ResolveCli(arguments.Has("cli") ? arguments.Text("cli", "") : null);
        var environment = ServerEnvironment(arguments.List("server-env", ""));
        var rows = new List<string[]>();
        foreach (var transport in transports)
        {
            foreach (var clients in clientCounts)
            {
                var directory = Directory.CreateDirectory(Path.Combine(root, "hpctune-service-bench-" + Path.GetRandomFileName())).FullName;
                try
                {
                    var cell = await RunCellAsync(cli, directory, environment, transport, clients, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds), pairs).ConfigureAwait(false);
                    rows.Add(cell);
                    Console.Error.WriteLine(string.Join(' ', Header.Zip(cell, (h, v) => $"{h}={v}")));
                }
                finally
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }

        Table.Emit(Header, rows, arguments.Text("csv", "service.csv"));
    }

    /// <summary>NAME=VALUE pairs of --server-env (comma-separated): runtime knobs for the server alone.</summary>
    private static Dictionary<string, string> ServerEnvironment(IReadOnlyList<string> pairs) => pairs.Select(p => p.Split('=', 2)).ToDictionary(
        p => p.Length == 2 && p[0].Length > 0 ? p[0] : throw new ArgumentException($"--server-env: expected NAME=VALUE, got '{string.Join('=', p)}'"),
        p => p[1],
        StringComparer.Ordinal);

    private static async Task<string[]> RunCellAsync(string cli, string directory, IReadOnlyDictionary<string, string> environment, ServiceTransport transport, int clients, TimeSpan warmup, TimeSpan window, int? pairsEach)
    {
        var function = TestFunctions.Get("branin");
        var study = function.CreateStudy(10_000_000, clients, new AlgorithmSpec("random", 1));
        X509Certificate2? certificate = null;
        string[] tls = [];
        if (transport == ServiceTransport.GrpcTls)
        {
            var made = SelfSignedCertificate.Write(directory);
            certificate = made.Certificate;
            tls = ["--tls-cert", made.CertPath, "--tls-key", made.KeyPath];
        }

        await using var server = await ServeProcess.StartAsync(cli, directory, study, tls, TimeSpan.FromSeconds(60), environment).ConfigureAwait(false);
        var workers = Enumerable.Range(0, clients).Select(i => PairClients.Connect(transport, server, $"bench-{i}", function.Dimension, 5, certificate)).ToArray();
        try
        {
            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var stopAt = pairsEach is null ? measureFrom + (long)(window.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
            var loops = workers.Select(w => Task.Run(() => LoopAsync(w, function, stopAt, measureFrom, pairsEach ?? int.MaxValue))).ToArray();

            // The CPU both processes use over the window, read as close to its edges as a timer allows.
            await Task.Delay(warmup).ConfigureAwait(false);
            var (serverFrom, benchFrom, clockFrom) = (server.CpuSeconds(), BenchCpuSeconds(), Stopwatch.GetTimestamp());
            if (pairsEach is null)
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (stopAt - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency))).ConfigureAwait(false);
            }
            else
            {
                await Task.WhenAll(loops).ConfigureAwait(false);
            }

            var (serverTo, benchTo, clockTo) = (server.CpuSeconds(), BenchCpuSeconds(), Stopwatch.GetTimestamp());
            var pairs = (await Task.WhenAll(loops).ConfigureAwait(false)).SelectMany(p => p).Where(p => p.End >= clockFrom && p.End <= clockTo).ToArray();

            var measured = (clockTo - clockFrom) / (double)Stopwatch.Frequency;
            var rate = pairs.Length / measured;
            double? serverCores = serverFrom is { } a && serverTo is { } b ? (b - a) / measured : null;
            var benchCores = (benchTo - benchFrom) / measured;
            return
            [
                ServiceTransports.Name(transport), clients.ToString(), pairs.Length.ToString(), Table.Number(rate),
                Percentile(pairs, p => p.End - p.Start, 0.5), Percentile(pairs, p => p.End - p.Start, 0.99),
                Percentile(pairs, p => p.Suggested - p.Start, 0.5), Percentile(pairs, p => p.Suggested - p.Start, 0.99),
                Percentile(pairs, p => p.End - p.Suggested, 0.5), Percentile(pairs, p => p.End - p.Suggested, 0.99),
                serverCores is { } s ? Table.Number(s) : "n/a", serverCores is { } c && pairs.Length > 0 ? Table.Number(c * 1e6 / rate) : "n/a",
                Table.Number(benchCores), pairs.Length > 0 ? Table.Number(benchCores * 1e6 / rate) : "n/a",
            ];
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>
    /// One worker: suggest → evaluate → observe until <paramref name="stopAt"/> or until it made
    /// <paramref name="pairsAfter"/> pairs that began after <paramref name="measureFrom"/>; the timestamps of each pair.
    /// </summary>
    private static async Task<List<PairTiming>> LoopAsync(IPairClient worker, TestFunction function, long stopAt, long measureFrom, int pairsAfter)
    {
        var pairs = new List<PairTiming>();
        var measured = 0;
        while (Stopwatch.GetTimestamp() < stopAt && measured < pairsAfter)
        {
            var start = Stopwatch.GetTimestamp();
            var trial = await worker.SuggestAsync(CancellationToken.None).ConfigureAwait(false) ?? throw new InvalidOperationException("the study finished: its budget is too small for this run");
            var suggested = Stopwatch.GetTimestamp();
            await worker.ObserveAsync(trial.Id, function.Evaluate(trial.X), CancellationToken.None).ConfigureAwait(false);
            pairs.Add(new PairTiming(start, suggested, Stopwatch.GetTimestamp()));
            if (start >= measureFrom)
            {
                measured++;
            }
        }

        return pairs;
    }

    private static double BenchCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The <paramref name="q"/> quantile of a span of the pairs, in milliseconds (nearest rank).</summary>
    private static string Percentile(PairTiming[] pairs, Func<PairTiming, long> span, double q)
    {
        if (pairs.Length == 0)
        {
            return "n/a";
        }

        var sorted = pairs.Select(span).Order().ToArray();
        return Table.Number(sorted[(int)Math.Ceiling(q * sorted.Length) - 1] * 1000.0 / Stopwatch.Frequency);
    }

    /// <summary>Stopwatch timestamps of one pair: asked, suggestion answered, observation acknowledged.</summary>
    private readonly record struct PairTiming(long Start, long Suggested, long End);
}
