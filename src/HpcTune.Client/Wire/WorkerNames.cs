using System.Globalization;
using System.Text;

namespace HpcTune.Client.Wire;

/// <summary>Worker names the server accepts: letters, digits and <c>-_@:</c>, at most 100 characters.</summary>
internal static class WorkerNames
{
    public const int MaxLength = 100;

    /// <summary>This process's default name: its host and process id, with every other character made a dash.</summary>
    public static string Default()
    {
        var pid = "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var host = new StringBuilder();
        foreach (var c in Environment.MachineName)
        {
            host.Append(IsAllowed(c) ? c : '-');
        }

        var name = host.Length > 0 ? host.ToString() : "worker";
        return name[..Math.Min(name.Length, MaxLength - pid.Length)] + pid;
    }

    public static string Validate(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(IsAllowed)
            ? name
            : throw new ArgumentException($"a worker name must be 1 to {MaxLength} letters, digits or -_@:, got '{name}'");

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '@' or ':';
}
