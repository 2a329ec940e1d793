using HpcTune.Trials;

namespace HpcTune.Tests.Tuning;

public class TrialTransitionTests
{
    [Fact]
    public void Only_the_documented_transitions_are_allowed()
    {
        var allowed = new HashSet<(TrialState, TrialState)>
        {
            (TrialState.Open, TrialState.Completed), (TrialState.Open, TrialState.Failed),
            (TrialState.Open, TrialState.Interrupted), (TrialState.Open, TrialState.Deleted), (TrialState.Open, TrialState.Pruned),
            (TrialState.Interrupted, TrialState.Open), (TrialState.Interrupted, TrialState.Completed),
            (TrialState.Interrupted, TrialState.Deleted),
        };
        foreach (var from in Enum.GetValues<TrialState>())
        {
            foreach (var to in Enum.GetValues<TrialState>())
            {
                Assert.Equal(allowed.Contains((from, to)), TrialTransitions.IsAllowed(from, to));
            }

            Assert.Equal(!allowed.Any(p => p.Item1 == from), TrialTransitions.IsFinal(from));
        }
    }
}
