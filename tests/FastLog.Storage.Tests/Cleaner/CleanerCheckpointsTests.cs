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
}
