namespace FastLog.Broker.Groups;

/// <summary>
/// A group's state. Every field is guarded by <see cref="Lock"/>: the coordinator takes it for each request
/// and for each timer sweep, so a group's transitions happen one at a time.
/// </summary>
public sealed class ConsumerGroup(string groupId)
{
    public Lock Lock { get; } = new();
    public string GroupId { get; } = groupId;
    public GroupState State { get; set; } = GroupState.Empty;
    public int GenerationId { get; set; }
    public string? ProtocolType { get; set; }
    public string? ProtocolName { get; set; }
    public string? LeaderId { get; set; }
    public Dictionary<string, GroupMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>group.instance.id → current member id of each static member.</summary>
    public Dictionary<string, string> StaticMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Member ids handed out with MEMBER_ID_REQUIRED and not yet used, with when they expire (KIP-394).</summary>
    public Dictionary<string, long> PendingMemberIds { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Topic, int Partition), CommittedOffset> Offsets { get; } = [];

    /// <summary>When the current join or sync phase gives up on members that have not answered.</summary>
    public long RebalanceDeadlineMs { get; set; }

    /// <summary>While the first members of an empty group arrive, the join waits (group.initial.rebalance.delay.ms).</summary>
    public long InitialDelayUntilMs { get; set; }

    /// <summary>When the group last became empty; offsets expire offsets.retention.minutes after it.</summary>
    public long EmptySinceMs { get; set; }

    public bool IsEmpty => Members.Count == 0;
}
