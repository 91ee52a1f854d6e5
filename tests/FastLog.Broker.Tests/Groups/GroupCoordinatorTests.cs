using FastLog.Broker.Configuration;
using FastLog.Broker.Groups;
using FastLog.Broker.Metadata;
using FastLog.Broker.Partitions;
using FastLog.Protocol.Messages;
using FastLog.Storage;

namespace FastLog.Broker.Tests.Groups;

/// <summary>Coordinator rules that real clients rarely show: loading, KIP-394 ids, size limits, offsets placement.</summary>
public sealed class GroupCoordinatorTests : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fastlog-coordinator-tests", Guid.NewGuid().ToString("N"));
    private readonly LogManager _logs;
    private readonly GroupCoordinator _coordinator;

    public GroupCoordinatorTests()
        : this(initialDelayMs: 0)
    {
    }

    private GroupCoordinatorTests(int initialDelayMs)
    {
        var config = BrokerConfigLoader.FromProperties(new Dictionary<string, string>
        {
            ["log.dirs"] = _dir,
            ["offsets.topic.num.partitions"] = "3",
            ["group.initial.rebalance.delay.ms"] = initialDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["group.max.size"] = "2",
            ["offsets.retention.minutes"] = "1",
        });
        var metadata = EmbeddedMetadataStore.Open(_dir, null);
        _logs = LogManager.Open(new LogManagerOptions { DataDirs = [_dir], ConfigFor = _ => new LogConfig { SegmentBytes = 1 << 20, Preallocation = SegmentPreallocation.None } });
        var replicas = new ReplicaManager(_logs);
        var offsets = new OffsetsTopic(metadata, replicas, config.OffsetsTopicNumPartitions);
        offsets.Ensure();
        _coordinator = new GroupCoordinator(config, offsets, _ => { });
    }

    public async ValueTask DisposeAsync()
    {
        await _coordinator.DisposeAsync();
        _logs.Close();
        Directory.Delete(_dir, recursive: true);
    }

    private static JoinRequest Join(string member = "", bool requireKnownId = true) =>
        new("g", member, null, "client", "/127.0.0.1", 10_000, 10_000, "consumer", [("range", [0, 1])], requireKnownId);

    [Fact]
    public async Task Requests_wait_with_load_in_progress_until_the_coordinator_has_loaded()
    {
        var before = await _coordinator.JoinAsync(Join());
        _coordinator.Load();
        var after = await _coordinator.JoinAsync(Join());

        Assert.Equal((short)ErrorCode.CoordinatorLoadInProgress, before.ErrorCode);
        Assert.Equal((short)ErrorCode.MemberIdRequired, after.ErrorCode);
        Assert.NotEmpty(after.MemberId);
    }

    [Fact]
    public async Task A_member_id_handed_out_with_member_id_required_joins_and_an_invented_one_is_refused()
    {
        _coordinator.Load();
        var first = await _coordinator.JoinAsync(Join());

        var joined = await _coordinator.JoinAsync(Join(first.MemberId));
        var invented = await _coordinator.JoinAsync(Join("made-up"));

        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal(1, joined.GenerationId);
        Assert.Equal(joined.MemberId, joined.LeaderId);
        Assert.Single(joined.Members);
        Assert.Equal((short)ErrorCode.UnknownMemberId, invented.ErrorCode);
    }

    [Fact]
    public async Task A_group_refuses_members_past_group_max_size()
    {
        _coordinator.Load();
        var a = _coordinator.JoinAsync(Join(requireKnownId: false));
        var b = _coordinator.JoinAsync(Join(requireKnownId: false));
        var c = await _coordinator.JoinAsync(Join(requireKnownId: false));

        Assert.Equal((short)ErrorCode.GroupMaxSizeReached, c.ErrorCode);
        Assert.Equal(0, (await a).ErrorCode);
        Assert.Equal(0, (await b).ErrorCode);
    }

    [Fact]
    public async Task The_first_join_of_an_empty_group_waits_for_the_initial_rebalance_delay()
    {
        await using var delayed = new GroupCoordinatorTests(initialDelayMs: 300);
        delayed._coordinator.Load();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var first = delayed._coordinator.JoinAsync(Join(requireKnownId: false));
        var completedEarly = first.IsCompleted;
        var joined = await first.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(completedEarly);
        Assert.Equal(0, joined.ErrorCode);
        Assert.True(started.ElapsedMilliseconds >= 250, $"the join completed after {started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_member_that_does_not_rejoin_before_the_rebalance_timeout_is_removed()
    {
        _coordinator.Load();
        var slow = await _coordinator.JoinAsync(Join(requireKnownId: false) with { RebalanceTimeoutMs = 200 });
        Assert.Equal(0, (await _coordinator.SyncAsync("g", slow.GenerationId, slow.MemberId, null, new Dictionary<string, byte[]>())).ErrorCode);

        // A second member joins: the group rebalances, and the first never rejoins.
        var second = await _coordinator.JoinAsync(Join(requireKnownId: false) with { RebalanceTimeoutMs = 200 }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, second.ErrorCode);
        Assert.Equal(2, second.GenerationId);
        Assert.Single(second.Members); // the leader's view: only itself is left
        Assert.Equal((short)ErrorCode.UnknownMemberId, _coordinator.Heartbeat("g", second.GenerationId, slow.MemberId, null));
    }

    [Fact]
    public void Offsets_of_a_group_empty_longer_than_offsets_retention_are_deleted()
    {
        _coordinator.Load();
        Assert.Equal(0, _coordinator.CommitOffsets("g", -1, "", null, [("t", 0, new CommittedOffset(42, -1, null, 0))]));

        _coordinator.ExpireOffsets(GroupCoordinator.Now + 59_000);
        var kept = _coordinator.FetchOffsets("g").Count;
        _coordinator.ExpireOffsets(GroupCoordinator.Now + 61_000);

        Assert.Equal(1, kept);
        Assert.Empty(_coordinator.FetchOffsets("g"));
    }

    [Fact]
    public void Groups_are_placed_on_offsets_partitions_as_kafka_places_them()
    {
        // Java's String.hashCode: "my-group" -> -1906497762, "test-consumer-group" -> -1793216381;
        // Kafka's Utils.abs then % 50.
        Assert.Equal(1906497762 % 50, OffsetsTopic.PartitionFor("my-group", 50));
        Assert.Equal(1793216381 % 50, OffsetsTopic.PartitionFor("test-consumer-group", 50));
        Assert.Equal(0, OffsetsTopic.PartitionFor("", 50));
    }
}
