using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HpcTune.Cli.Display;

/// <summary>
/// Standard error with <c>--log-format json</c>: each line written to it directly (errors, "stopped: ...") goes out
/// as one JSON object of the console logger's JSON shape (Timestamp, EventId, LogLevel, Category, Message), so that a
/// log collector reads every line of stderr alike. Lines that already are JSON objects (the logger's) pass unchanged.
/// </summary>
internal sealed class JsonLineWriter(TextWriter inner) : TextWriter
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_lock)
        {
            Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            foreach (var c in value ?? "")
            {
                Append(c);
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush()
    {
        lock (_lock)
        {
            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                if (_line.Length > 0)
                {
                    Emit(_line.ToString());
                    _line.Clear();
                }

                inner.Flush();
            }
        }

        base.Dispose(disposing);
    }

    private void Append(char c)
    {
        if (c == '\n')
        {
            Emit(_line.ToString().TrimEnd('\r'));
            _line.Clear();
        }
        else
        {
            _line.Append(c);
        }
    }

    private void Emit(string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (line.StartsWith('{'))
        {
            inner.WriteLine(line);
        }
        else
        {
            inner.WriteLine(ToJson(line, DateTimeOffset.UtcNow));
        }

        inner.Flush();
    }

    /// <summary>One line as a log object; its level from its prefix (<c>error:</c>, <c>warning:</c>, <c>stopped:</c>, <c>interrupted:</c>).</summary>
    public static string ToJson(string line, DateTimeOffset time)
    {
        var level = line.StartsWith("error:", StringComparison.Ordinal) ? "Error"
            : line.StartsWith("warning:", StringComparison.Ordinal) || line.StartsWith("stopped:", StringComparison.Ordinal) || line.StartsWith("interrupted:", StringComparison.Ordinal) ? "Warning"
            : "Information";
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("Timestamp", time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteNumber("EventId", 0);
            w.WriteString("LogLevel", level);
            w.WriteString("Category", "HpcTune");
            w.WriteString("Message", line);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
