namespace HpcTune.Trials;

/// <summary>Finding a trial's reports by step (they are in increasing step order), for the rules and samplers that compare trials at a step.</summary>
internal static class ReportSteps
{
    /// <summary>The number of reports at or before <paramref name="step"/>: the index just past the latest of them.</summary>
    public static int CountAtOrBefore(IReadOnlyList<TrialReport> reports, long step)
    {
        int low = 0, high = reports.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (reports[mid].Step <= step)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
