using System.Buffers.Binary;
using HpcTune.Journal;

namespace HpcTune.Tests.Journal;

/// <summary>Issue 23 item 1: a journal of 2 GiB or more is read as a stream, with 64-bit offsets throughout.</summary>
public class LargeJournalTests
{
    [Fact]
    public void A_journal_past_2_GiB_reads_to_its_end_and_names_a_torn_tail_beyond_it()
    {
        using var stream = new GeneratedJournal(runs: 2100, tornTail: 9);
        Assert.True(stream.Length > (long)int.MaxValue + JournalFormat.MaxPayload);
        var contents = JournalReader.Read(stream, "generated.htj", null);
        Assert.Equal(2100, contents.Runs.Count);
        Assert.Equal(2101, contents.End.Records);
        Assert.Equal(stream.Length - 9, contents.ValidLength);
        Assert.Contains($"byte offset {stream.Length - 9}", contents.TailWarning, StringComparison.Ordinal);
    }

    /// <summary>
    /// A version 2 journal made on the fly, never held in memory or on disk: the study record, then
    /// <c>runs</c> master-start records padded with JSON whitespace to the largest payload, then a few torn bytes.
    /// Read forward only, as the reader does on an intact journal.
    /// </summary>
    private sealed class GeneratedJournal : Stream
    {
        private readonly byte[] _study;
        private readonly byte[] _record;
        private readonly long _runs;
        private readonly int _tornTail;
        private long _current = -1; // the run record now in _record
        private uint _checksumOfCurrent;

        public GeneratedJournal(long runs, int tornTail)
        {
            _runs = runs;
            _tornTail = tornTail;
            var study = JournalRecordCodec.EncodeStudy(JournalFixtures.Study(), DateTimeOffset.UnixEpoch);
            _study = JournalFormat.Frame(study, JournalFormat.Version, 0, 0);
            var head = System.Text.Encoding.UTF8.GetBytes("""{"type":"run","time":"2026-12-06T00:00:00.0000000+00:00","host":"h","pid":7,"objective":"builtin:branin" """);
            var payload = new byte[JournalFormat.MaxPayload];
            payload.AsSpan().Fill((byte)' ');
            head.CopyTo(payload, 0);
            payload[^1] = (byte)'}';
            _record = JournalFormat.Frame(payload, JournalFormat.Version, 1, 0);
        }

        public override long Length => _study.Length + (_runs * _record.Length) + _tornTail;

        public override long Position { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = 0;
            while (read < buffer.Length && Position < Length)
            {
                ReadOnlySpan<byte> source;
                long start;
                if (Position < _study.Length)
                {
                    source = _study;
                    start = 0;
                }
                else if (Position < Length - _tornTail)
                {
                    var run = (Position - _study.Length) / _record.Length;
                    Generate(run);
                    source = _record;
                    start = _study.Length + (run * _record.Length);
                }
                else
                {
                    source = "HTJR\u0002\0\0\0\0"u8;
                    start = Length - _tornTail;
                }

                var n = source[(int)(Position - start)..].Length;
                n = Math.Min(n, buffer.Length - read);
                source.Slice((int)(Position - start), n).CopyTo(buffer[read..]);
                read += n;
                Position += n;
            }

            return read;
        }

        /// <summary>Frames run record <paramref name="run"/> (record number run + 1) after the one before it.</summary>
        private void Generate(long run)
        {
            if (run == _current)
            {
                return;
            }

            if (run != _current + 1)
            {
                throw new InvalidOperationException($"read forward only: record {run} after {_current}");
            }

            var link = run == 0 ? BinaryPrimitives.ReadUInt32LittleEndian(_study.AsSpan(12)) : _checksumOfCurrent;
            BinaryPrimitives.WriteInt64LittleEndian(_record.AsSpan(16), run + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(24), link);
            _checksumOfCurrent = JournalFormat.Checksum(_record);
            BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(12), _checksumOfCurrent);
            _current = run;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
