using System.Globalization;

namespace HpcTune.Transport;

/// <summary>
/// Who holds a trial: a transport's worker (an MPI rank, an in-process thread, a named network worker) and, for a worker
/// that holds several suggestions at once, which of its slots. Its <see cref="ToString"/> is the name the journal
/// records: <c>rank-3</c>, <c>rank-3.1</c> (slot 1), <c>thread-2</c>, or a network worker's own name (<c>gpu-node-7</c>,
/// <c>gpu-node-7.1</c>). Nothing reads a name back into an id: the <see cref="WorkerHub"/> keeps the ids it was given.
/// </summary>
public readonly record struct WorkerId
{
    private readonly string _name;

    private WorkerId(string group, int? number, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        Group = group;
        Number = number;
        Slot = slot;
        var endpoint = number is { } n ? string.Create(CultureInfo.InvariantCulture, $"{group}-{n}") : group;
        _name = slot == 0 ? endpoint : string.Create(CultureInfo.InvariantCulture, $"{endpoint}.{slot}");
    }

    /// <summary>The kind of worker (<c>rank</c>, <c>thread</c>) or a named worker's name.</summary>
    public string Group { get; }

    /// <summary>The rank or thread number; null for a named worker.</summary>
    public int? Number { get; }

    /// <summary>Which of the worker's suggestions this is (0 for the first, and for a worker that holds one).</summary>
    public int Slot { get; }

    /// <summary>
    /// The worker without its slot: where its messages go (the rank, the thread, the connection). Two slots of one
    /// endpoint are one worker to the late-result rules: it is never told to abandon a trial it reported itself.
    /// </summary>
    public WorkerId Endpoint => Slot == 0 ? this : new WorkerId(Group, Number, 0);

    /// <summary>MPI rank <paramref name="rank"/>'s slot <paramref name="slot"/>: <c>rank-3</c>, <c>rank-3.1</c>.</summary>
    public static WorkerId Rank(int rank, int slot = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        return new WorkerId("rank", rank, slot);
    }

    /// <summary>In-process worker thread <paramref name="number"/> (from 1): <c>thread-2</c>.</summary>
    public static WorkerId Thread(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return new WorkerId("thread", number, 0);
    }

    /// <summary>
    /// A worker that names itself (<c>HpcTune worker --name NAME</c>): letters, digits and <c>-_@:</c>, at most 100
    /// characters; <paramref name="slot"/> as for ranks.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty, too long, or has other characters (a dot would look like a slot).</exception>
    public static WorkerId Named(string name, int slot = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '@' or ':'))
        {
            throw new ArgumentException($"worker name '{name}': use 1 to 100 letters, digits and -_@: (no dots, spaces or other characters)", nameof(name));
        }

        return new WorkerId(name, null, slot);
    }

    /// <summary>This worker's slot <paramref name="slot"/>.</summary>
    public WorkerId WithSlot(int slot) => slot == Slot ? this : new WorkerId(Group, Number, slot);

    /// <summary>The name the journal records for trials this worker holds.</summary>
    public override string ToString() => _name ?? "";
}
