using HpcTune.Sampling;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>Optional collaborators of a <see cref="Tuner"/>; every one has a default.</summary>
public sealed record TunerOptions
{
    /// <summary>The sampler; default: the one the definition's algorithm names.</summary>
    public ISampler? Sampler { get; init; }

    /// <summary>Receives every event before it is applied (the journal); default: none.</summary>
    public IStudyEventSink? Sink { get; init; }

    /// <summary>The clock for timestamps; default: the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Where failures and warnings go; default: nowhere.</summary>
    public ILogger? Logger { get; init; }
}
