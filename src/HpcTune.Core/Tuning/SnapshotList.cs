using System.Collections;

namespace HpcTune.Tuning;

/// <summary>
/// A list kept in chunks of 512 whose <see cref="Freeze"/> is O(n / 512): a frozen view shares the chunks, and a
/// chunk is copied (4 KiB) only when an item the view can see is replaced afterwards. A study snapshot per suggestion
/// then costs next to nothing at 20,000 trials, where copying the trials each time (and the large-object heap
/// collections that arrays of that size bring) cut the MPI master's dispatch rate by a third. Not thread-safe: its
/// owner (the study state) changes it under the tuner's lock; frozen views are immutable and may be read anywhere.
/// </summary>
internal sealed class SnapshotList<T> : IReadOnlyList<T>
    where T : class
{
    private const int Shift = 9;
    private const int ChunkSize = 1 << Shift;
    private const int Mask = ChunkSize - 1;

    private T[][] _chunks = [];
    private bool[] _shared = []; // chunk i is seen by a frozen view: copy it before replacing an item in it
    private int _count;

    /// <inheritdoc/>
    public int Count => _count;

    /// <summary>The item at <paramref name="index"/>; setting it replaces it (never seen by views frozen before).</summary>
    public T this[int index]
    {
        get => (uint)index < (uint)_count ? _chunks[index >> Shift][index & Mask] : throw new ArgumentOutOfRangeException(nameof(index));
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            var chunk = index >> Shift;
            if (_shared[chunk])
            {
                _chunks[chunk] = (T[])_chunks[chunk].Clone();
                _shared[chunk] = false;
            }

            _chunks[chunk][index & Mask] = value;
        }
    }

    /// <summary>Appends <paramref name="item"/> (a slot past every frozen view's end: no copy needed).</summary>
    public void Add(T item)
    {
        var chunk = _count >> Shift;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(4, _chunks.Length * 2));
            Array.Resize(ref _shared, _chunks.Length);
        }

        _chunks[chunk] ??= new T[ChunkSize];
        _chunks[chunk][_count & Mask] = item;
        _count++;
    }

    /// <summary>An immutable view of the items now, sharing their chunks.</summary>
    public FrozenList<T> Freeze()
    {
        var used = (_count + Mask) >> Shift;
        Array.Fill(_shared, true, 0, used);
        return new FrozenList<T>(_chunks[..used], _count, []);
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _chunks[i >> Shift][i & Mask];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>How the chunks are laid out, for <see cref="FrozenList{T}"/>.</summary>
    internal static (int Shift, int Mask) Layout => (Shift, Mask);
}

/// <summary>An immutable list: a frozen <see cref="SnapshotList{T}"/>'s chunks, plus items appended to the view alone.</summary>
internal sealed class FrozenList<T>(T[][] chunks, int count, T[] extra) : IReadOnlyList<T>
    where T : class
{
    /// <inheritdoc/>
    public int Count => count + extra.Length;

    /// <inheritdoc/>
    public T this[int index]
    {
        get
        {
            var (shift, mask) = SnapshotList<T>.Layout;
            return (uint)index < (uint)count ? chunks[index >> shift][index & mask]
                : (uint)(index - count) < (uint)extra.Length ? extra[index - count]
                : throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    /// <summary>This view with <paramref name="item"/> appended (O(items appended to views so far)).</summary>
    public FrozenList<T> Append(T item) => new(chunks, count, [.. extra, item]);

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator()
    {
        var (shift, mask) = SnapshotList<T>.Layout;
        for (var i = 0; i < count; i++)
        {
            yield return chunks[i >> shift][i & mask];
        }

        foreach (var item in extra)
        {
            yield return item;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
