using HpcTune.Service.Hosting;
using HpcTune.Service.Security;
using HpcTune.Service.Studies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>The network service beside an MPI master on rank 0 (<c>mpiexec ... serve</c>): one study, one sync path.</summary>
internal sealed class ServiceCompanion(WebApplication app, StudyCatalog catalog, StudyHost host) : IMasterCompanion
{
    public static async Task<IMasterCompanion> StartAsync(StudyHost host, StudyHostOptions options, ServiceEndpoint endpoint, TlsFiles? tls, ILogger logger)
    {
        var catalog = StudyCatalog.Single(host, options, logger);
        var folder = host.Checkpoint.Directory;
        var app = await ListenAsync(catalog, TokenFile.LoadOrCreate(folder), folder, endpoint, tls).ConfigureAwait(false);
        return new ServiceCompanion(app, catalog, host);
    }

    /// <summary>Starts the web server of <paramref name="catalog"/> and prints where it listens (the line clients and tests wait for).</summary>
    public static async Task<WebApplication> ListenAsync(StudyCatalog catalog, string token, string folder, ServiceEndpoint endpoint, TlsFiles? tls)
    {
        var app = ServiceHost.Build(catalog, new ServerToken(token), endpoint, tls);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = ServiceHost.Address(app, endpoint, tls is not null);
        // Beside the token, for job scripts whose workers start elsewhere: the URL this server answers on now.
        var urlFile = Path.Combine(folder, "url");
        await File.WriteAllTextAsync(urlFile + ".tmp", address + "\n").ConfigureAwait(false);
        File.Move(urlFile + ".tmp", urlFile, overwrite: true);
        await Console.Out.WriteLineAsync($"listening on {address}").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"token in {Path.Combine(folder, TokenFile.FileName)}, URL in {urlFile}; studies: {string.Join(", ", catalog.All.Select(h => h.Id))}").ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        return app;
    }

    public void Commit() => host.DurableAsync().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        await catalog.DisposeAsync().ConfigureAwait(false);
    }
}
