using HpcTune.Trials;

namespace HpcTune.Tuning;

/// <summary>Why <see cref="Tuner.Suggest(string)"/> did or did not hand out a trial.</summary>
public enum SuggestStatus
{
    /// <summary>A trial was handed out (<see cref="SuggestOutcome.Trial"/>).</summary>
    Issued,

    /// <summary>Nothing now: <c>parallel_bandwidth</c> suggestions are open, or the open ones would meet the budget. Ask again after a change.</summary>
    Wait,

    /// <summary>The study is completed or broken; stop asking.</summary>
    Finished,
}

/// <summary>The answer to a worker's request for work.</summary>
/// <param name="Status">Issued, wait, or finished.</param>
/// <param name="Trial">The trial to evaluate when <paramref name="Status"/> is <see cref="SuggestStatus.Issued"/>.</param>
/// <param name="Reason">Why there is no trial, in words.</param>
public readonly record struct SuggestOutcome(SuggestStatus Status, Trial? Trial, string? Reason);
