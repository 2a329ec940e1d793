using System.CommandLine;
using HpcTune.Client;
using HpcTune.Client.Wire;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands.Remote;

/// <summary>The options that reach a study served by <c>HpcTune serve</c> (worker, ask, tell, insert, trials).</summary>
internal sealed class ConnectionOptions
{
    public ConnectionOptions(bool required)
    {
        Connect = new Option<string?>("--connect") { Description = "The server: http://HOST:PORT (or https://), as `serve` printed it.", Required = required };
    }

    public Option<string?> Connect { get; }

    public Option<string> Study { get; } = new("--study") { Description = "The study's id on the server (default \"-\": the only study of serve --checkpoint).", DefaultValueFactory = _ => ExperimentClientOptions.OnlyStudy };

    public Option<FileInfo?> TokenFile { get; } = new("--token-file") { Description = $"The file holding the server's token (serve writes it to CHECKPOINT/token); default: the {ExperimentClientOptions.TokenVariable} variable." };

    public Option<string?> Name { get; } = new("--name") { Description = "This worker's name (letters, digits, -_@:; default: host and process id). Trials are held by name: give the same name to tell what ask reserved under it." };

    public Option<double> RetryTimeout { get; } = new("--retry-timeout") { Description = "Seconds to keep retrying (with backoff) while the server is unreachable, e.g. restarting; then exit 3.", DefaultValueFactory = _ => 120 };

    public void AddTo(Command command)
    {
        command.Add(Connect);
        command.Add(Study);
        command.Add(TokenFile);
        command.Add(Name);
        command.Add(RetryTimeout);
    }

    /// <summary>The client options from the command line; every bad value is an <see cref="ArgumentException"/> naming its option.</summary>
    public ExperimentClientOptions ClientOptions(ParseResult parse, ILogger? logger)
    {
        var text = parse.GetValue(Connect) ?? throw new ArgumentException("--connect URL is required");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.AbsolutePath is not ("/" or ""))
        {
            throw new ArgumentException($"--connect must be http://HOST:PORT or https://HOST:PORT, got '{text}'");
        }

        var retry = parse.GetValue(RetryTimeout);
        if (!double.IsFinite(retry) || retry < 0 || retry > 1e6)
        {
            throw new ArgumentException($"--retry-timeout must be a number of seconds from 0 to 1e6, got {retry}");
        }

        if (parse.GetValue(Name) is { } name)
        {
            try
            {
                WorkerNames.Validate(name);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--name must be 1 to {WorkerNames.MaxLength} letters, digits or -_@:, got '{name}'", e);
            }
        }

        return new ExperimentClientOptions
        {
            Url = url,
            TokenFile = parse.GetValue(TokenFile)?.FullName,
            Study = parse.GetValue(Study) is { Length: > 0 } study ? study : throw new ArgumentException("--study must name a study"),
            Worker = parse.GetValue(Name),
            RetryTimeout = TimeSpan.FromSeconds(retry),
            Logger = logger,
        };
    }

    /// <summary>Connects to the study (reads its definition): the token and the study are checked here.</summary>
    public Task<ExperimentClient> ConnectAsync(ParseResult parse, ILogger? logger, CancellationToken cancellationToken) =>
        ExperimentClient.ConnectAsync(ClientOptions(parse, logger), cancellationToken);
}
