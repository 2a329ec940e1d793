namespace HpcTune.Study;

/// <summary>
/// A study definition (or a piece of it, such as a parameter) is invalid.
/// <see cref="Path"/> names the offending JSON location, e.g. <c>parameters[2].bounds.min</c>.
/// </summary>
public sealed class DefinitionException : Exception
{
    /// <summary>Creates the exception; the message is "<paramref name="path"/>: <paramref name="problem"/>".</summary>
    public DefinitionException(string path, string problem)
        : base(string.IsNullOrEmpty(path) ? problem : $"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The JSON path of the offending value ("" for the document itself).</summary>
    public string Path { get; }

    /// <summary>What was wrong and what was expected, without the path.</summary>
    public string Problem { get; }
}
