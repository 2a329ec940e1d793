using System.Text.RegularExpressions;

namespace HpcTune.Cli.Tests.Docs;

/// <summary>
/// One fenced block of a docs page. <c>```bash</c> blocks are commands the docs runner executes; every other info
/// string (<c>text</c> for output samples, <c>json</c>, <c>csharp</c>, ...) is not run. Attributes after the
/// language: <c>skip="why"</c> (a command block not run in CI, e.g. a 20-seed benchmark) and
/// <c>requires=NAME[,NAME]</c> (run only where the requirement holds: <c>slurm</c>, or a verb of the CLI such as
/// <c>report</c> — skipped while the CLI has no such verb).
/// </summary>
internal sealed record DocBlock(int Line, string Language, string Code, string? Skip, IReadOnlyList<string> Requires)
{
    /// <summary>Info strings a block may have; an unknown or empty one is an error, so no command block goes unseen.</summary>
    public static readonly IReadOnlySet<string> Languages = new HashSet<string>(StringComparer.Ordinal)
    {
        "bash", "text", "json", "csharp", "python", "proto", "xml",
    };

    /// <summary>Requirements other than a CLI verb.</summary>
    public const string Slurm = "slurm";

    public bool IsCommand => Language == "bash";
}

/// <summary>A markdown page of docs/ and its fenced blocks, in order.</summary>
internal sealed partial class DocPage
{
    private DocPage(string path, IReadOnlyList<DocBlock> blocks, IReadOnlyList<string> errors)
    {
        Path = path;
        Blocks = blocks;
        Errors = errors;
    }

    /// <summary>The page's path as given (relative to the repository root for docs pages).</summary>
    public string Path { get; }

    public IReadOnlyList<DocBlock> Blocks { get; }

    /// <summary>Fences with an unknown info string or attribute, and unclosed fences, as "path:line: problem".</summary>
    public IReadOnlyList<string> Errors { get; }

    public bool NeedsSlurm => Blocks.Any(b => b.IsCommand && b.Requires.Contains(DocBlock.Slurm));

    public static DocPage Read(string fullPath, string shownPath) => Parse(shownPath, File.ReadAllLines(fullPath));

    public static DocPage Parse(string shownPath, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var blocks = new List<DocBlock>();
        var errors = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var ticks = open.Groups["ticks"].Value;
            var info = open.Groups["info"].Value.Trim();
            var start = i + 1; // 1-based line of the opening fence
            var code = new List<string>();
            var closed = false;
            for (i++; i < lines.Count; i++)
            {
                var close = Fence().Match(lines[i]);
                if (close.Success && close.Groups["ticks"].Value.Length >= ticks.Length && close.Groups["info"].Value.Trim().Length == 0)
                {
                    closed = true;
                    break;
                }

                code.Add(lines[i]);
            }

            if (!closed)
            {
                errors.Add($"{shownPath}:{start}: the fence is never closed");
                break;
            }

            blocks.Add(ParseInfo(shownPath, start, info, string.Join('\n', code) + "\n", errors));
        }

        return new DocPage(shownPath, blocks, errors);
    }

    private static DocBlock ParseInfo(string path, int line, string info, string code, List<string> errors)
    {
        var language = info.Split(' ', 2)[0];
        if (!DocBlock.Languages.Contains(language))
        {
            errors.Add($"{path}:{line}: info string '{info}': the language must be one of {string.Join(", ", DocBlock.Languages)} (bash blocks run in CI; use text for output and fragments)");
        }

        string? skip = null;
        var requires = new List<string>();
        var rest = info.Length > language.Length ? info[language.Length..] : "";
        var consumed = Attribute().Replace(rest, m =>
        {
            var value = m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value;
            switch (m.Groups["key"].Value)
            {
                case "skip" when value.Length > 0:
                    skip = value;
                    break;
                case "requires":
                    requires.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                default:
                    errors.Add($"{path}:{line}: unknown attribute '{m.Value.Trim()}' (known: skip=\"why\", requires=slurm|VERB)");
                    break;
            }

            return "";
        });
        if (consumed.Trim().Length > 0)
        {
            errors.Add($"{path}:{line}: cannot read '{consumed.Trim()}' in the info string '{info}' (attributes are key=value or key=\"value\")");
        }

        if (language != "bash" && (skip is not null || requires.Count > 0))
        {
            errors.Add($"{path}:{line}: skip and requires belong to bash blocks; a {language} block never runs");
        }

        return new DocBlock(line, language, code, skip, requires);
    }

    [GeneratedRegex(@"^[ \t]*(?<ticks>`{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"\s*(?<key>[a-z][a-z-]*)=(""(?<quoted>[^""]*)""|(?<bare>[^\s""]+))")]
    private static partial Regex Attribute();
}
