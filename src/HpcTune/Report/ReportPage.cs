using System.Text;
using HpcTune.Journal;

namespace HpcTune.Cli.Report;

/// <summary>
/// The report: one HTML file holding the charting library, the page's own style and script, and the study as an
/// inline JSON block, so that it opens with no network access and fetches nothing.
/// </summary>
internal static class ReportPage
{
    private const string LibraryMark = "/*HPCTUNE:ECHARTS*/";
    private const string StyleMark = "/*HPCTUNE:CSS*/";
    private const string ScriptMark = "/*HPCTUNE:SCRIPT*/";
    private const string DataMark = "/*HPCTUNE:DATA*/";

    /// <summary>The HTML report of <paramref name="contents"/>, as UTF-8 bytes.</summary>
    public static byte[] Render(JournalContents contents, DateTimeOffset generated)
    {
        var template = Resource("report.html");
        var data = Encoding.UTF8.GetString(ReportData.ToJson(contents, generated));
        var insertions = new Dictionary<string, string>
        {
            [LibraryMark] = InScriptBlock(Resource("echarts.min.js"), "echarts.min.js"),
            [StyleMark] = Resource("report.css"),
            [ScriptMark] = InScriptBlock(Resource("report.js"), "report.js"),
            [DataMark] = InScriptBlock(data, "the study's data"),
        };
        // Each mark is replaced once, in the template's order, so that inserted text is never searched for marks.
        var marks = insertions.Keys.Select(mark => (Mark: mark, At: template.IndexOf(mark, StringComparison.Ordinal))).OrderBy(m => m.At).ToList();
        if (marks.Any(m => m.At < 0 || template.IndexOf(m.Mark, m.At + 1, StringComparison.Ordinal) >= 0))
        {
            throw new InvalidOperationException("the report template must hold each mark once");
        }

        var page = new StringBuilder(template.Length + insertions.Values.Sum(text => text.Length));
        var from = 0;
        foreach (var (mark, at) in marks)
        {
            page.Append(template, from, at - from).Append(insertions[mark]);
            from = at + mark.Length;
        }

        page.Append(template, from, template.Length - from);
        return Encoding.UTF8.GetBytes(page.ToString());
    }

    /// <summary>
    /// Refuses text that would end its script block early. The data never holds <c>&lt;</c> (its writer escapes it);
    /// the pinned library and the page's script do not, which a test checks.
    /// </summary>
    private static string InScriptBlock(string text, string what) =>
        text.Contains("</script", StringComparison.OrdinalIgnoreCase) || text.Contains("<!--", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"{what} holds '</script' or '<!--' and cannot be put in a script block")
            : text;

    private static string Resource(string name)
    {
        using var stream = typeof(ReportPage).Assembly.GetManifestResourceStream("HpcTune.Report." + name)
            ?? throw new InvalidOperationException($"the report resource {name} is not in this build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
