using System.Collections.Concurrent;
using Grpc.Core;
using HpcTune.Journal;
using HpcTune.Study;
using Microsoft.Extensions.Logging;

namespace HpcTune.Service.Studies;

/// <summary>
/// The studies this server hosts, by id. <c>serve --checkpoint DIR</c>: one study, also called <c>-</c>.
/// <c>serve --root DIR</c>: every checkpoint folder under DIR, found on start or created by clients (Vizier's server
/// holds studies by name; SigOpt's experiments().create makes one), this process the single writer of each.
/// </summary>
internal sealed class StudyCatalog : IAsyncDisposable
{
    /// <summary>The study of a single-study server, whatever its name.</summary>
    public const string OnlyStudy = "-";

    private readonly ConcurrentDictionary<string, StudyHost> _hosts = new(StringComparer.Ordinal);
    private readonly Lock _creating = new();
    private readonly string? _root;
    private readonly StudyHostOptions _options;
    private readonly ILogger _logger;

    private StudyCatalog(string? root, StudyHostOptions options, ILogger logger)
    {
        _root = root;
        _options = options;
        _logger = logger;
    }

    /// <summary>True when clients may create studies (<c>--root</c>).</summary>
    public bool HoldsMany => _root is not null;

    /// <summary>Every hosted study.</summary>
    public IReadOnlyList<StudyHost> All => [.. _hosts.Values.OrderBy(h => h.Id, StringComparer.Ordinal)];

    /// <summary>A server of the one study in <paramref name="checkpoint"/>.</summary>
    public static StudyCatalog Single(Checkpoint checkpoint, StudyHostOptions options, ILogger logger, int? raiseBudgetTo = null)
    {
        var catalog = new StudyCatalog(null, options, logger);
        var id = StudyIds.IsValid(checkpoint.State.Definition.Name) ? checkpoint.State.Definition.Name : Path.GetFileName(Path.TrimEndingDirectorySeparator(checkpoint.Directory));
        catalog._hosts[id] = StudyHost.Start(id, checkpoint, options, logger, raiseBudgetTo > checkpoint.State.Definition.ObservationBudget ? raiseBudgetTo : null);
        return catalog;
    }

    /// <summary>A server of every study under <paramref name="root"/> (made if missing); more may be created by clients.</summary>
    public static StudyCatalog Root(string root, StudyHostOptions options, ILogger logger)
    {
        Directory.CreateDirectory(root);
        var catalog = new StudyCatalog(root, options, logger);
        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(folder);
            if (!StudyIds.IsValid(id) || !File.Exists(Checkpoint.JournalPath(folder)))
            {
                continue; // not a study of ours (a trial folder, a user's notes)
            }

            var checkpoint = Checkpoint.Open(folder);
            catalog._hosts[id] = StudyHost.Start(id, checkpoint, options, logger);
        }

        return catalog;
    }

    /// <summary>The study called <paramref name="id"/>; NOT_FOUND names the ones there are.</summary>
    public StudyHost Find(string id)
    {
        if (_hosts.TryGetValue(id, out var host))
        {
            return host;
        }

        if ((id == OnlyStudy || string.IsNullOrEmpty(id)) && _root is null && _hosts.Count == 1)
        {
            return _hosts.Values.First();
        }

        var known = _hosts.IsEmpty ? "none yet (create one: POST /v1/studies)" : string.Join(", ", _hosts.Keys.Order(StringComparer.Ordinal));
        throw new RpcException(new Status(StatusCode.NotFound, string.IsNullOrEmpty(id) || id == OnlyStudy
            ? $"name the study: this server hosts several; studies: {known}"
            : $"no study '{id}' on this server; studies: {known}"));
    }

    /// <summary>
    /// A new study <paramref name="id"/> (made from the study's name when empty). An id that is taken is a conflict,
    /// unless the study there has the same definition: then this is a retried create and the study is returned.
    /// </summary>
    public (StudyHost Host, bool Created) Create(string id, StudyDefinition definition)
    {
        if (_root is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "this server hosts one study (serve --checkpoint); start it with --root DIR to create studies"));
        }

        lock (_creating)
        {
            if (string.IsNullOrEmpty(id))
            {
                id = StudyIds.Unused(definition.Name, taken => _hosts.ContainsKey(taken) || Directory.Exists(Path.Combine(_root, taken)));
            }
            else if (!StudyIds.IsValid(id))
            {
                throw new ArgumentException($"id: '{id}' {StudyIds.Rule}");
            }

            if (_hosts.TryGetValue(id, out var existing))
            {
                var differences = DefinitionDiff.Compare(existing.Tuner.Definition, definition).ToList();
                if (existing.Tuner.Definition.ObservationBudget != definition.ObservationBudget)
                {
                    differences.Add($"observation_budget: {existing.Tuner.Definition.ObservationBudget} there, {definition.ObservationBudget} given");
                }

                return differences.Count > 0
                    ? throw new RpcException(new Status(StatusCode.AlreadyExists, $"study '{id}' exists with another definition: {string.Join("; ", differences)}"))
                    : (existing, false);
            }

            var folder = Path.Combine(_root, id);
            if (Directory.Exists(folder))
            {
                throw new RpcException(new Status(StatusCode.AlreadyExists, $"{folder} exists and is not a study this server could open: choose another id"));
            }

            var checkpoint = Checkpoint.Create(folder, definition);
            var host = StudyHost.Start(id, checkpoint, _options, _logger);
            _hosts[id] = host;
            return (host, true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        _hosts.Clear();
    }
}
