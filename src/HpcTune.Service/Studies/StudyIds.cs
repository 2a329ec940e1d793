using System.Globalization;

namespace HpcTune.Service.Studies;

/// <summary>Study ids: folder names under <c>--root</c>, safe in a URL path and on every file system.</summary>
internal static class StudyIds
{
    public const string Rule = "is not a study id: use 1 to 100 letters, digits and -_. (not starting with . or -)";

    public static bool IsValid(string id) =>
        id.Length is > 0 and <= 100 && char.IsAsciiLetterOrDigit(id[0]) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>An id made from <paramref name="name"/> that <paramref name="taken"/> says is free: name, name-2, name-3…</summary>
    public static string Unused(string name, Func<string, bool> taken)
    {
        var slug = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]).TrimStart('-', '.');
        slug = slug.Length == 0 ? "study" : slug[..Math.Min(slug.Length, 90)];
        var id = slug;
        for (var n = 2; taken(id); n++)
        {
            id = string.Create(CultureInfo.InvariantCulture, $"{slug}-{n}");
        }

        return id;
    }
}
