namespace HpcTune.Search.EarlyStopping;

/// <summary>The losses recorded at one rung, kept sorted so a rank costs a binary search.</summary>
internal sealed class SortedLosses
{
    private readonly List<double> _values = [];

    /// <summary>How many losses are recorded.</summary>
    public int Count => _values.Count;

    /// <summary>The <paramref name="index"/>-th smallest loss.</summary>
    public double this[int index] => _values[index];

    /// <summary>Records <paramref name="loss"/>.</summary>
    public void Add(double loss) => _values.Insert(FirstAtLeast(loss), loss);

    /// <summary>Forgets one recording of <paramref name="loss"/> (a deleted trial's).</summary>
    public void Remove(double loss)
    {
        var at = FirstAtLeast(loss);
        if (at < _values.Count && _values[at].Equals(loss))
        {
            _values.RemoveAt(at);
        }
    }

    /// <summary>How many recorded losses are strictly smaller (better) than <paramref name="loss"/>.</summary>
    public int CountBelow(double loss) => FirstAtLeast(loss);

    private int FirstAtLeast(double loss)
    {
        int low = 0, high = _values.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_values[mid] < loss)
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
