namespace FastLog.Broker.Groups;

/// <summary>
/// One member of a group: who it is, what it supports, its timeouts, its assignment, and the join or sync
/// request it has parked while the group rebalances.
/// </summary>
public sealed class GroupMember
{
    public required string MemberId { get; set; }
    public string? GroupInstanceId { get; init; }
    public required string ClientId { get; set; }
    public required string ClientHost { get; set; }
    public int SessionTimeoutMs { get; set; }
    public int RebalanceTimeoutMs { get; set; }
    public required string ProtocolType { get; set; }

    /// <summary>(assignor name, subscription bytes) in the member's order of preference.</summary>
    public required List<(string Name, byte[] Metadata)> Protocols { get; set; }

    public byte[] Assignment { get; set; } = [];
    public long LastHeartbeatMs { get; set; }

    /// <summary>The wheel timer that checks this member's session; heartbeats only move LastHeartbeatMs.</summary>
    public Timers.TimerTask? SessionTimer { get; set; }

    /// <summary>The JoinGroup waiting for the rebalance to complete, if any.</summary>
    public TaskCompletionSource<JoinOutcome>? PendingJoin { get; set; }

    /// <summary>The SyncGroup waiting for the leader's assignment, if any.</summary>
    public TaskCompletionSource<SyncOutcome>? PendingSync { get; set; }

    public byte[] MetadataFor(string protocol) => Protocols.First(p => p.Name == protocol).Metadata;

    public bool SameProtocols(List<(string Name, byte[] Metadata)> other) =>
        Protocols.Count == other.Count && Protocols.Zip(other).All(p => p.First.Name == p.Second.Name && p.First.Metadata.AsSpan().SequenceEqual(p.Second.Metadata));
}

/// <summary>What a JoinGroup gets back.</summary>
public sealed record JoinOutcome(short ErrorCode, int GenerationId, string? ProtocolType, string? ProtocolName, string LeaderId, string MemberId, IReadOnlyList<(string MemberId, string? InstanceId, byte[] Metadata)> Members)
{
    public static JoinOutcome Error(short error, string memberId = "") => new(error, -1, null, null, "", memberId, []);
}

/// <summary>What a SyncGroup gets back.</summary>
public sealed record SyncOutcome(short ErrorCode, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncOutcome Error(short error) => new(error, null, null, []);
}

/// <summary>A committed offset as the group keeps it.</summary>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);
