namespace HpcTune.Cli.Report;

/// <summary>The workers of a study, each given an index the first time it is named (the report's <c>workers</c> array).</summary>
internal sealed class WorkerNames
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    /// <summary>Names in index order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The index of <paramref name="name"/>, added if new.</summary>
    public int IndexOf(string name)
    {
        if (!_index.TryGetValue(name, out var at))
        {
            at = _names.Count;
            _index[name] = at;
            _names.Add(name);
        }

        return at;
    }
}
