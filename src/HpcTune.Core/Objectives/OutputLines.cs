using System.Text;

namespace HpcTune.Objectives;

/// <summary>One line of a program's output as <see cref="OutputLines"/> hands it on.</summary>
/// <param name="Text">The line, or its first <c>maxLineBytes</c> bytes when <paramref name="Cut"/>.</param>
/// <param name="Bytes">The whole line's length in bytes, without its end.</param>
/// <param name="Cut">True when the line was longer than the cap, so <paramref name="Text"/> is only its start.</param>
/// <param name="Blank">True when the whole line is white space.</param>
internal readonly record struct OutputLine(string Text, long Bytes, bool Cut, bool Blank);

/// <summary>
/// Reads a program's output with one fixed buffer and splits it into lines the way a text reader does (at
/// <c>\n</c>, <c>\r\n</c> or <c>\r</c>), keeping at most <c>maxLineBytes</c> of any line: a program that prints
/// gigabytes on one line costs a bounded amount of memory. Each line goes to a callback (the last result line, a
/// tail of standard error, and <c>HPCTUNE_REPORT</c> lines as they come). After the lines of each chunk read,
/// <c>afterChunk</c> is awaited before the next read: what the callback collected is handled there, and a slow handler
/// holds the program up on its full pipe instead of letting a queue grow.
/// </summary>
internal sealed class OutputLines(int maxLineBytes, Action<OutputLine> onLine, Func<CancellationToken, Task>? afterChunk = null)
{
    private const int ChunkBytes = 64 * 1024;
    private byte[] _line = new byte[Math.Min(256, maxLineBytes)];
    private int _kept;      // bytes of the current line in _line
    private long _length;   // bytes of the current line in all
    private bool _nonBlank; // a byte of the current line past the kept ones was not white space
    private bool _afterCarriageReturn;

    /// <summary>Reads <paramref name="stream"/> to its end (or until <paramref name="cancellationToken"/>); the last line needs no end.</summary>
    public async Task PumpAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                Split(buffer.AsSpan(0, read));
                if (afterChunk is not null)
                {
                    await afterChunk(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: what was read so far still counts.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away under the reader: what was read so far still counts.
        }

        if (_length > 0)
        {
            Emit();
        }

        if (afterChunk is not null && !cancellationToken.IsCancellationRequested)
        {
            await afterChunk(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Split(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            if (_afterCarriageReturn)
            {
                _afterCarriageReturn = false;
                if (chunk[0] == (byte)'\n')
                {
                    chunk = chunk[1..];
                    continue;
                }
            }

            var end = chunk.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0)
            {
                Append(chunk);
                return;
            }

            Append(chunk[..end]);
            Emit();
            _afterCarriageReturn = chunk[end] == (byte)'\r';
            chunk = chunk[(end + 1)..];
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        _length += bytes.Length;
        var room = maxLineBytes - _kept;
        if (bytes.Length > room)
        {
            _nonBlank |= bytes[room..].IndexOfAnyExcept(" \t\v\f"u8) >= 0;
            bytes = bytes[..room];
        }

        if (_kept + bytes.Length > _line.Length)
        {
            Array.Resize(ref _line, (int)Math.Min(maxLineBytes, Math.Max(2L * _line.Length, _kept + bytes.Length)));
        }

        bytes.CopyTo(_line.AsSpan(_kept));
        _kept += bytes.Length;
    }

    private void Emit()
    {
        var text = Encoding.UTF8.GetString(_line, 0, _kept);
        var cut = _length > _kept;
        onLine(new OutputLine(text, _length, cut, string.IsNullOrWhiteSpace(text) && !_nonBlank));
        _kept = 0;
        _length = 0;
        _nonBlank = false;
    }
}
