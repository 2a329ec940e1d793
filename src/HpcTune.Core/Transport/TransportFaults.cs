using System.Globalization;

namespace HpcTune.Transport;

/// <summary>
/// Faults the transport conformance suite injects into workers, from <c>HPCTUNE_TEST_FAULTS</c> (a test hook, not an
/// option): <c>;</c>-separated <c>repeat-requests</c> (every worker asks for each trial twice, as a client that
/// retries after a lost answer), <c>leave=WORKER@N</c> (that worker leaves holding its N-th trial) and
/// <c>mute=WORKER</c> (that worker never heartbeats, so its leases run out). WORKER is an endpoint's name:
/// <c>thread-1</c>, <c>rank-1</c>.
/// </summary>
internal sealed class TransportFaults
{
    /// <summary>The environment variable read.</summary>
    public const string Variable = "HPCTUNE_TEST_FAULTS";

    private static readonly Lazy<TransportFaults> FromEnvironment = new(() => Parse(Environment.GetEnvironmentVariable(Variable)));

    private readonly Dictionary<string, int> _leaveAt = new(StringComparer.Ordinal);
    private readonly HashSet<string> _muted = new(StringComparer.Ordinal);

    /// <summary>The faults this process was started with (none without the variable).</summary>
    public static TransportFaults Current => FromEnvironment.Value;

    /// <summary>Every worker asks twice for each trial.</summary>
    public bool RepeatRequests { get; private set; }

    /// <summary>The number of the trial (from 1) on whose arrival <paramref name="worker"/> leaves; null: it stays.</summary>
    public int? LeaveAt(WorkerId worker) => _leaveAt.TryGetValue(worker.Endpoint.ToString(), out var n) ? n : null;

    /// <summary>Whether <paramref name="worker"/> sends no heartbeats.</summary>
    public bool IsMuted(WorkerId worker) => _muted.Contains(worker.Endpoint.ToString());

    /// <summary>The faults <paramref name="text"/> names; <see cref="ArgumentException"/> naming the bad part.</summary>
    public static TransportFaults Parse(string? text)
    {
        var faults = new TransportFaults();
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = part.IndexOf('=') is var eq and >= 0 ? (part[..eq], part[(eq + 1)..]) : (part, "");
            switch (key)
            {
                case "repeat-requests" when value.Length == 0:
                    faults.RepeatRequests = true;
                    break;
                case "mute" when value.Length > 0:
                    faults._muted.Add(value);
                    break;
                case "leave" when value.Split('@') is [var worker, var n] && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at > 0:
                    faults._leaveAt[worker] = at;
                    break;
                default:
                    throw new ArgumentException($"{Variable}: cannot read '{part}' (repeat-requests; leave=WORKER@N; mute=WORKER)");
            }
        }

        return faults;
    }
}
