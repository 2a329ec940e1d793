namespace HpcTune.Cli.Commands;

/// <summary>
/// What rank 0 of an MPI job serves besides its ranks (the network service of <c>serve</c>). It syncs the journal for
/// its own callers, so the master's commits go through it too: one sync path, never two syncs racing on one file.
/// </summary>
internal interface IMasterCompanion : IAsyncDisposable
{
    /// <summary>Returns once every record written so far is on stable storage.</summary>
    void Commit();
}
