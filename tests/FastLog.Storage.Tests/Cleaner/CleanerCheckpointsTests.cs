using FastLog.Storage.Cleaner;

namespace FastLog.Storage.Tests.Cleaner;

public sealed class CleanerCheckpointsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_first_dirty_offset_is_kept_per_partition_across_instances_and_forgotten_once_not_compacted()
    {
        var kept = PartitionLog.Create(new TopicPartition("kept", 0), _dir.Path, TestBatches.SmallSegments(), TestBatches.Cache());
        var dropped = PartitionLog.Create(new TopicPartition("dropped", 0), _dir.Path, TestBatches.SmallSegments(), TestBatches.Cache());
        var checkpoints = new CleanerCheckpoints();
        checkpoints.Update(kept, 42);
        checkpoints.Update(dropped, 7);

        var forgotten = checkpoints.RetainOnly(new HashSet<TopicPartition> { kept.Partition });
        var reread = new CleanerCheckpoints();

        Assert.Equal([dropped.Partition], forgotten);
        Assert.Equal(42, reread.FirstDirtyOffset(kept));
        Assert.Equal(-1, reread.FirstDirtyOffset(dropped));
        Assert.True(File.Exists(Path.Combine(_dir.Path, CleanerCheckpoints.FileName)));
    }

    [Fact]
    public void A_malformed_checkpoint_counts_every_log_as_dirty_and_is_written_anew()
    {
        var log = PartitionLog.Create(new TopicPartition("kept", 0), _dir.Path, TestBatches.SmallSegments(), TestBatches.Cache());
        File.WriteAllText(Path.Combine(_dir.Path, CleanerCheckpoints.FileName), "not a checkpoint");
        var lines = new List<string>();
        var checkpoints = new CleanerCheckpoints(lines.Add);

        var firstDirty = checkpoints.FirstDirtyOffset(log);
        checkpoints.Update(log, 5);

        Assert.Equal(-1, firstDirty);
        Assert.Single(lines);
        Assert.Equal(5, new CleanerCheckpoints().FirstDirtyOffset(log));
    }
}
