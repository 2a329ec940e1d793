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
        var page = new StringBuilder(template.Length + data.Length + 1_200_000);
        // Each mark is replaced once, in the template's order, so that text inserted earlier is never searched.
        var parts = template.Split([LibraryMark, StyleMark, ScriptMark, DataMark], StringSplitOptions.None);
        if (parts.Length != 5)
        {
            throw new InvalidOperationException("the report template must hold each mark once");
        }

        page.Append(parts[0]).Append(InScriptBlock(Resource("echarts.min.js"), "echarts.min.js"))
            .Append(parts[1]).Append(Resource("report.css"))
            .Append(parts[2]).Append(InScriptBlock(Resource("report.js"), "report.js"))
            .Append(parts[3]).Append(InScriptBlock(data, "the study's data"))
            .Append(parts[4]);
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
