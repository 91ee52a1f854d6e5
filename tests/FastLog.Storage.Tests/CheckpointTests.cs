using FastLog.Storage.Checkpoints;

namespace FastLog.Storage.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Checkpoint_round_trips_in_kafkas_text_format()
    {
        var file = new OffsetCheckpointFile(Path.Combine(_dir.Path, "recovery-point-offset-checkpoint"));
        var offsets = new Dictionary<TopicPartition, long>
        {
            [new("orders", 0)] = 42,
            [new("my-topic-with-dashes", 12)] = 7_000_000_000,
        };

        file.Write(offsets);

        Assert.Equal(offsets, file.Read());
        Assert.Equal(["0", "2", "my-topic-with-dashes 12 7000000000", "orders 0 42"], File.ReadAllLines(file.Path));
        Assert.False(File.Exists(file.Path + ".tmp"));
    }

    [Fact]
    public void A_rewrite_replaces_the_whole_file()
    {
        var file = new OffsetCheckpointFile(Path.Combine(_dir.Path, "cp"));
        file.Write(new Dictionary<TopicPartition, long> { [new("a", 0)] = 1, [new("b", 0)] = 2 });

        file.Write(new Dictionary<TopicPartition, long> { [new("a", 0)] = 5 });

        Assert.Equal(new Dictionary<TopicPartition, long> { [new("a", 0)] = 5 }, file.Read());
    }

    [Fact]
    public void A_missing_checkpoint_reads_as_empty()
    {
        Assert.Empty(new OffsetCheckpointFile(Path.Combine(_dir.Path, "none")).Read());
    }

    [Theory]
    [InlineData("1\n0\n")]
    [InlineData("0\n3\na 0 1\n")]
    [InlineData("0\n1\na zero 1\n")]
    [InlineData("garbage")]
    public void A_malformed_checkpoint_is_an_error_naming_the_file(string content)
    {
        var path = Path.Combine(_dir.Path, "bad");
        File.WriteAllText(path, content);

        var error = Assert.Throws<InvalidDataException>(() => new OffsetCheckpointFile(path).Read());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
