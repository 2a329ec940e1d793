using System.Diagnostics;
using System.Text;
using HpcTune.Journal;
using HpcTune.Study;
using HpcTune.Tests.Journal;

namespace HpcTune.Tests.Study;

/// <summary>A study file is read as a stream with a cap, whatever it is (issue 23, item 3).</summary>
public class StudyFileLimitTests
{
    [Fact]
    public void The_limit_leaves_room_for_layout_around_one_journal_record() => Assert.Equal(4 * JournalFormat.MaxPayload, StudyDefinitionJson.MaxFileBytes);

    [Fact]
    public void A_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused_naming_the_limit()
    {
        using var dir = new TempDirectory();
        var atLimit = dir.Combine("at-limit.json");
        File.WriteAllBytes(atLimit, Padded(StudyDefinitionJson.MaxFileBytes));
        Assert.Equal("s", StudyDefinitionJson.Load(atLimit).Name);

        var over = dir.Combine("over.json");
        File.WriteAllBytes(over, Padded(StudyDefinitionJson.MaxFileBytes + 1));
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Load(over));
        Assert.Contains("more than 4194304 bytes (4 MiB)", e.Message, StringComparison.Ordinal);
        Assert.Contains(over, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endless_device_is_refused_after_the_limit()
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Load("/dev/zero"));
        Assert.Contains("more than 4194304 bytes (4 MiB)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_pipe_is_read_as_a_stream()
    {
        using var dir = new TempDirectory();
        var fifo = dir.Combine("study.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var writer = Task.Run(() => File.WriteAllText(fifo, StudyJsonFixtures.ContractExample), TestContext.Current.CancellationToken);
        Assert.Equal("svm-digits", StudyDefinitionJson.Load(fifo).Name);
        await writer;
    }

    /// <summary>A valid study padded with spaces to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] Padded(int length)
    {
        var study = Encoding.UTF8.GetBytes(StudyJsonFixtures.WithThirdParameter("""{"name": "c", "type": "double", "bounds": {"min": 0, "max": 1}}"""));
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)' ');
        study.CopyTo(bytes, 0);
        return bytes;
    }
}
