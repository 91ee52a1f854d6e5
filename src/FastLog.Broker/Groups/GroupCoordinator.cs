using System.Collections.Concurrent;
using FastLog.Broker.Configuration;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Groups;

/// <summary>
/// The classic group coordinator (Kafka's GroupCoordinator): join and sync phases with generations, the
/// leader's client-side assignment, static membership, heartbeats and session timeouts, committed offsets.
/// One node coordinates every group; state is written to __consumer_offsets and reloaded at start, during
/// which requests get COORDINATOR_LOAD_IN_PROGRESS. Deadlines (sessions, rebalances, the initial delay,
/// unused member ids) are tasks on a timer wheel, not a thread or OS timer per group or member; a member's
/// session timer fires once per session period and re-arms itself while heartbeats keep coming.
/// </summary>
public sealed class GroupCoordinator : IAsyncDisposable
{
    private const long RetentionCheckIntervalMs = 60_000;

    private readonly BrokerConfig _config;
    private readonly OffsetsTopic _offsetsTopic;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly Timers.TimerWheel _wheel;
    private volatile bool _loaded;

    public GroupCoordinator(BrokerConfig config, OffsetsTopic offsetsTopic, Action<string> log)
    {
        _config = config;
        _offsetsTopic = offsetsTopic;
        _log = log;
        _wheel = new Timers.TimerWheel(onError: e => log($"group timer failed: {e.Message}"));
        _wheel.Schedule(Now + RetentionCheckIntervalMs, ExpireOffsets);
    }

    public bool IsLoaded => _loaded;

    public static long Now => Environment.TickCount64;

    public ICollection<ConsumerGroup> Groups => _groups.Values;

    public ConsumerGroup? Find(string groupId) => _groups.GetValueOrDefault(groupId);

    /// <summary>Replays __consumer_offsets into groups and offsets; requests wait with LOAD_IN_PROGRESS until done.</summary>
    public void Load()
    {
        var now = Now;
        for (var partition = 0; partition < _offsetsTopic.PartitionCount; partition++)
        {
            foreach (var record in _offsetsTopic.Load(partition))
            {
                var group = _groups.GetOrAdd(record.GroupId, id => new ConsumerGroup(id) { EmptySinceMs = now });
                if (record.OffsetKey is { } key)
                {
                    if (record.IsTombstone)
                    {
                        group.Offsets.Remove(key);
                    }
                    else
                    {
                        group.Offsets[key] = record.Offset!;
                    }
                }
                else if (record.IsTombstone)
                {
                    _groups.TryRemove(record.GroupId, out _);
                }
                else if (record.Group is { } metadata)
                {
                    // Members reconnect and rejoin: their old member ids are unknown to a restarted coordinator,
                    // which answers UNKNOWN_MEMBER_ID and makes them join again under the next generation.
                    group.GenerationId = metadata.Generation;
                    group.ProtocolType = metadata.ProtocolType;
                    group.ProtocolName = metadata.Protocol;
                    group.State = GroupState.Empty;
                }
            }
        }
        _loaded = true;
        _log($"group coordinator loaded {_groups.Count} group(s) from {OffsetsTopic.Name}");
    }

    public ValueTask DisposeAsync()
    {
        _wheel.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Checks the group at <paramref name="atMs"/>: deadlines of its current phase and member sessions.</summary>
    private void ScheduleCheck(ConsumerGroup group, long atMs) =>
        _wheel.Schedule(atMs, () =>
        {
            lock (group.Lock)
            {
                CheckDeadlines(group, Now);
            }
        });

    /// <summary>Arms the member's session timer unless one is pending; it re-arms itself on each firing.</summary>
    private void WatchSession(ConsumerGroup group, GroupMember member)
    {
        if (member.SessionTimer is { IsPending: true })
        {
            return;
        }
        member.SessionTimer = _wheel.Schedule(member.LastHeartbeatMs + member.SessionTimeoutMs, () =>
        {
            lock (group.Lock)
            {
                if (!group.Members.TryGetValue(member.MemberId, out var current) || current != member)
                {
                    return; // left or fenced: nothing to watch
                }
                if (member.PendingJoin is null && Now - member.LastHeartbeatMs >= member.SessionTimeoutMs)
                {
                    RemoveMember(group, member.MemberId, "session timeout expired");
                    PrepareRebalance(group, "session timeout");
                    TryCompleteJoin(group);
                    return;
                }
                member.SessionTimer = null;
                WatchSession(group, member);
            }
        });
    }

    private void ExpireOffsets()
    {
        ExpireOffsets(Now);
        _wheel.Schedule(Now + RetentionCheckIntervalMs, ExpireOffsets);
    }

    /// <summary>Drops the committed offsets of groups empty for longer than offsets.retention.minutes.</summary>
    internal void ExpireOffsets(long now)
    {
        var retentionMs = (long)_config.OffsetsRetentionMinutes * 60_000;
        foreach (var group in _groups.Values)
        {
            lock (group.Lock)
            {
                if (group.State == GroupState.Empty && group.Offsets.Count > 0 && now - group.EmptySinceMs > retentionMs)
                {
                    _offsetsTopic.WriteOffsets(group.GroupId, [.. group.Offsets.Keys.Select(k => (k.Topic, k.Partition, (CommittedOffset?)null))]);
                    group.Offsets.Clear();
                    _log($"group {group.GroupId}: committed offsets expired after offsets.retention.minutes");
                }
            }
        }
    }

    public Task<JoinOutcome> JoinAsync(JoinRequest request)
    {
        if (Refusal(request.GroupId) is { } refused)
        {
            return Task.FromResult(JoinOutcome.Error(refused, request.MemberId));
        }
        if (request.SessionTimeoutMs < _config.GroupMinSessionTimeoutMs || request.SessionTimeoutMs > _config.GroupMaxSessionTimeoutMs)
        {
            return Task.FromResult(JoinOutcome.Error((short)ErrorCode.InvalidSessionTimeout, request.MemberId));
        }
        if (request.MemberId.Length > 0 && !_groups.ContainsKey(request.GroupId))
        {
            return Task.FromResult(JoinOutcome.Error((short)ErrorCode.UnknownMemberId, request.MemberId));
        }
        var group = _groups.GetOrAdd(request.GroupId, id => new ConsumerGroup(id) { EmptySinceMs = Now });
        lock (group.Lock)
        {
            return Join(group, request);
        }
    }

    public Task<SyncOutcome> SyncAsync(string groupId, int generationId, string memberId, string? instanceId, IReadOnlyDictionary<string, byte[]> assignments)
    {
        if (Refusal(groupId) is { } refused)
        {
            return Task.FromResult(SyncOutcome.Error(refused));
        }
        if (Find(groupId) is not { } group)
        {
            return Task.FromResult(SyncOutcome.Error((short)ErrorCode.UnknownMemberId));
        }
        lock (group.Lock)
        {
            if (MemberError(group, memberId, instanceId, generationId) is { } error)
            {
                return Task.FromResult(SyncOutcome.Error(error));
            }
            var member = group.Members[memberId];
            member.LastHeartbeatMs = Now;
            switch (group.State)
            {
                case GroupState.PreparingRebalance:
                    return Task.FromResult(SyncOutcome.Error((short)ErrorCode.RebalanceInProgress));
                case GroupState.Stable:
                    return Task.FromResult(new SyncOutcome(0, group.ProtocolType, group.ProtocolName, member.Assignment));
                case GroupState.CompletingRebalance:
                    member.PendingSync = new TaskCompletionSource<SyncOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                    var pending = member.PendingSync.Task;
                    if (memberId == group.LeaderId)
                    {
                        foreach (var each in group.Members.Values)
                        {
                            each.Assignment = assignments.GetValueOrDefault(each.MemberId) ?? [];
                        }
                        PersistGroup(group);
                        group.State = GroupState.Stable;
                        foreach (var each in group.Members.Values)
                        {
                            each.PendingSync?.TrySetResult(new SyncOutcome(0, group.ProtocolType, group.ProtocolName, each.Assignment));
                            each.PendingSync = null;
                        }
                    }
                    return pending;
                default:
                    return Task.FromResult(SyncOutcome.Error((short)ErrorCode.UnknownMemberId));
            }
        }
    }

    public short Heartbeat(string groupId, int generationId, string memberId, string? instanceId)
    {
        if (Refusal(groupId) is { } refused)
        {
            return refused;
        }
        if (Find(groupId) is not { } group)
        {
            return (short)ErrorCode.UnknownMemberId;
        }
        lock (group.Lock)
        {
            if (MemberError(group, memberId, instanceId, generationId) is { } error)
            {
                return error;
            }
            group.Members[memberId].LastHeartbeatMs = Now;
            return group.State == GroupState.PreparingRebalance ? (short)ErrorCode.RebalanceInProgress : (short)ErrorCode.None;
        }
    }

    /// <summary>Removes members (by member id, or by instance id for static members); the rest rebalance.</summary>
    public IReadOnlyList<(string MemberId, string? InstanceId, short Error)> Leave(string groupId, IReadOnlyList<(string MemberId, string? InstanceId)> leaving, out short topLevelError)
    {
        topLevelError = Refusal(groupId) ?? 0;
        var results = new List<(string, string?, short)>();
        if (topLevelError != 0)
        {
            return results;
        }
        if (Find(groupId) is not { } group)
        {
            topLevelError = (short)ErrorCode.UnknownMemberId;
            return results;
        }
        lock (group.Lock)
        {
            foreach (var (memberId, instanceId) in leaving)
            {
                var id = instanceId is not null && group.StaticMembers.TryGetValue(instanceId, out var staticId) ? staticId : memberId;
                if (instanceId is not null && memberId.Length > 0 && id != memberId)
                {
                    results.Add((memberId, instanceId, (short)ErrorCode.FencedInstanceId));
                    continue;
                }
                if (!group.Members.ContainsKey(id))
                {
                    results.Add((memberId, instanceId, (short)ErrorCode.UnknownMemberId));
                    continue;
                }
                RemoveMember(group, id, "left the group");
                results.Add((memberId, instanceId, 0));
            }
            if (results.Any(r => r.Item3 == 0))
            {
                PrepareRebalance(group, "members left");
            }
        }
        return results;
    }

    public short CommitOffsets(string groupId, int generationId, string memberId, string? instanceId, IReadOnlyList<(string Topic, int Partition, CommittedOffset Offset)> offsets)
    {
        if (Refusal(groupId) is { } refused)
        {
            return refused;
        }
        var group = _groups.GetOrAdd(groupId, id => new ConsumerGroup(id) { EmptySinceMs = Now });
        lock (group.Lock)
        {
            // generation -1 with no member: a consumer that assigns partitions itself and only stores offsets.
            if (generationId >= 0 || memberId.Length > 0)
            {
                if (MemberError(group, memberId, instanceId, generationId) is { } error)
                {
                    return error;
                }
                if (group.State == GroupState.PreparingRebalance)
                {
                    return (short)ErrorCode.RebalanceInProgress;
                }
                group.Members[memberId].LastHeartbeatMs = Now;
            }
            else if (!group.IsEmpty)
            {
                return (short)ErrorCode.IllegalGeneration; // a group with members only takes commits from them
            }
            _offsetsTopic.WriteOffsets(groupId, [.. offsets.Select(o => (o.Topic, o.Partition, (CommittedOffset?)o.Offset))]);
            foreach (var (topic, partition, offset) in offsets)
            {
                group.Offsets[(topic, partition)] = offset;
            }
            return 0;
        }
    }

    /// <summary>The group's committed offsets; null topics means every partition it has committed.</summary>
    public Dictionary<(string Topic, int Partition), CommittedOffset> FetchOffsets(string groupId)
    {
        if (Find(groupId) is not { } group)
        {
            return [];
        }
        lock (group.Lock)
        {
            return new Dictionary<(string, int), CommittedOffset>(group.Offsets);
        }
    }

    public short DeleteGroup(string groupId)
    {
        if (Refusal(groupId) is { } refused)
        {
            return refused;
        }
        if (Find(groupId) is not { } group)
        {
            return (short)ErrorCode.GroupIdNotFound;
        }
        lock (group.Lock)
        {
            if (!group.IsEmpty)
            {
                return (short)ErrorCode.NonEmptyGroup;
            }
            _offsetsTopic.WriteOffsets(groupId, [.. group.Offsets.Keys.Select(k => (k.Topic, k.Partition, (CommittedOffset?)null))]);
            _offsetsTopic.WriteGroup(groupId, null);
            group.State = GroupState.Dead;
            _groups.TryRemove(groupId, out _);
            return 0;
        }
    }

    /// <summary>Deletes committed offsets of partitions the group does not consume (OffsetDelete).</summary>
    public (short Error, Dictionary<(string Topic, int Partition), short> Partitions) DeleteOffsets(string groupId, IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        var results = new Dictionary<(string, int), short>();
        if (Refusal(groupId) is { } refused)
        {
            return (refused, results);
        }
        if (Find(groupId) is not { } group)
        {
            return ((short)ErrorCode.GroupIdNotFound, results);
        }
        lock (group.Lock)
        {
            var subscribed = SubscribedTopics(group);
            var deleted = new List<(string, int, CommittedOffset?)>();
            foreach (var key in partitions)
            {
                if (subscribed.Contains(key.Topic))
                {
                    results[key] = (short)ErrorCode.GroupSubscribedToTopic;
                    continue;
                }
                if (group.Offsets.Remove(key))
                {
                    deleted.Add((key.Topic, key.Partition, null));
                }
                results[key] = 0;
            }
            if (deleted.Count > 0)
            {
                _offsetsTopic.WriteOffsets(groupId, deleted);
            }
            return (0, results);
        }
    }

    private Task<JoinOutcome> Join(ConsumerGroup group, JoinRequest request)
    {
        if (group.State == GroupState.Dead)
        {
            return Task.FromResult(JoinOutcome.Error((short)ErrorCode.CoordinatorNotAvailable, request.MemberId));
        }
        if (!group.IsEmpty && (group.ProtocolType != request.ProtocolType || !CommonProtocolExists(group, request.Protocols)))
        {
            return Task.FromResult(JoinOutcome.Error((short)ErrorCode.InconsistentGroupProtocol, request.MemberId));
        }

        var memberId = request.MemberId;
        if (memberId.Length == 0)
        {
            if (request.GroupInstanceId is { } instanceId && group.StaticMembers.TryGetValue(instanceId, out var previous) && group.Members.ContainsKey(previous))
            {
                return RejoinStatic(group, request, instanceId, previous);
            }
            if (group.Members.Count >= _config.GroupMaxSize)
            {
                return Task.FromResult(JoinOutcome.Error((short)ErrorCode.GroupMaxSizeReached));
            }
            memberId = $"{request.GroupInstanceId ?? request.ClientId}-{Guid.NewGuid()}";
            if (request.GroupInstanceId is null && request.RequireKnownMemberId)
            {
                // KIP-394: the client must come back with this id, so a retried join cannot leave a ghost member.
                group.PendingMemberIds[memberId] = Now + request.SessionTimeoutMs;
                ScheduleCheck(group, Now + request.SessionTimeoutMs);
                return Task.FromResult(JoinOutcome.Error((short)ErrorCode.MemberIdRequired, memberId));
            }
            if (request.GroupInstanceId is { } newInstance)
            {
                group.StaticMembers[newInstance] = memberId;
            }
        }
        else if (!group.Members.ContainsKey(memberId))
        {
            if (!group.PendingMemberIds.Remove(memberId))
            {
                return Task.FromResult(JoinOutcome.Error((short)ErrorCode.UnknownMemberId, memberId));
            }
            if (group.Members.Count >= _config.GroupMaxSize)
            {
                return Task.FromResult(JoinOutcome.Error((short)ErrorCode.GroupMaxSizeReached, memberId));
            }
        }
        else if (request.GroupInstanceId is { } staticId && group.StaticMembers.GetValueOrDefault(staticId) != memberId)
        {
            return Task.FromResult(JoinOutcome.Error((short)ErrorCode.FencedInstanceId, memberId));
        }

        var isNew = !group.Members.TryGetValue(memberId, out var member);
        if (member is null)
        {
            member = new GroupMember
            {
                MemberId = memberId,
                GroupInstanceId = request.GroupInstanceId,
                ClientId = request.ClientId,
                ClientHost = request.ClientHost,
                ProtocolType = request.ProtocolType,
                Protocols = request.Protocols,
            };
            group.Members[memberId] = member;
        }
        var protocolsChanged = !isNew && !member.SameProtocols(request.Protocols);
        member.Protocols = request.Protocols;
        member.ProtocolType = request.ProtocolType;
        member.SessionTimeoutMs = request.SessionTimeoutMs;
        member.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
        member.LastHeartbeatMs = Now;
        group.ProtocolType ??= request.ProtocolType;

        if (!isNew && group.State == GroupState.Stable && !protocolsChanged && memberId != group.LeaderId)
        {
            // A follower rejoining with the same subscription: nothing changes, it gets the current generation.
            return Task.FromResult(Outcome(group, member));
        }

        member.PendingJoin?.TrySetResult(JoinOutcome.Error((short)ErrorCode.UnknownMemberId, memberId));
        member.PendingJoin = new TaskCompletionSource<JoinOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = member.PendingJoin.Task;
        PrepareRebalance(group, isNew ? $"member {memberId} joined" : $"member {memberId} rejoined");
        TryCompleteJoin(group);
        return pending;
    }

    /// <summary>
    /// A static member came back (KIP-345): it takes a new member id, the old one is fenced, and if nothing it
    /// subscribes to changed the group does not rebalance — it gets the current generation and its assignment.
    /// </summary>
    private Task<JoinOutcome> RejoinStatic(ConsumerGroup group, JoinRequest request, string instanceId, string previousId)
    {
        var member = group.Members[previousId];
        var newId = $"{instanceId}-{Guid.NewGuid()}";
        group.Members.Remove(previousId);
        member.MemberId = newId;
        member.PendingJoin?.TrySetResult(JoinOutcome.Error((short)ErrorCode.FencedInstanceId, previousId));
        member.PendingSync?.TrySetResult(SyncOutcome.Error((short)ErrorCode.FencedInstanceId));
        member.PendingJoin = null;
        member.PendingSync = null;
        group.Members[newId] = member;
        group.StaticMembers[instanceId] = newId;
        if (group.LeaderId == previousId)
        {
            group.LeaderId = newId;
        }
        member.ClientId = request.ClientId;
        member.ClientHost = request.ClientHost;
        member.SessionTimeoutMs = request.SessionTimeoutMs;
        member.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
        member.LastHeartbeatMs = Now;
        var unchanged = member.SameProtocols(request.Protocols);
        member.Protocols = request.Protocols;
        if (group.State == GroupState.Stable && unchanged)
        {
            PersistGroup(group);
            WatchSession(group, member);
            return Task.FromResult(Outcome(group, member));
        }
        member.PendingJoin = new TaskCompletionSource<JoinOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = member.PendingJoin.Task;
        PrepareRebalance(group, $"static member {instanceId} rejoined with a new subscription");
        TryCompleteJoin(group);
        return pending;
    }

    private void PrepareRebalance(ConsumerGroup group, string reason)
    {
        if (group.State == GroupState.CompletingRebalance)
        {
            foreach (var member in group.Members.Values)
            {
                member.PendingSync?.TrySetResult(SyncOutcome.Error((short)ErrorCode.RebalanceInProgress));
                member.PendingSync = null;
            }
        }
        if (group.State == GroupState.PreparingRebalance)
        {
            return;
        }
        var now = Now;
        var rebalanceTimeout = group.Members.Values.Select(m => m.RebalanceTimeoutMs).DefaultIfEmpty(0).Max();
        if (group.State == GroupState.Empty && _config.GroupInitialRebalanceDelayMs > 0)
        {
            // The first members of a new group arrive close together: wait a moment so they share one rebalance.
            group.InitialDelayUntilMs = now + Math.Min(_config.GroupInitialRebalanceDelayMs, Math.Max(rebalanceTimeout, 0));
        }
        group.State = GroupState.PreparingRebalance;
        group.RebalanceDeadlineMs = now + rebalanceTimeout;
        if (group.InitialDelayUntilMs > now)
        {
            ScheduleCheck(group, group.InitialDelayUntilMs);
        }
        ScheduleCheck(group, group.RebalanceDeadlineMs);
        _log($"group {group.GroupId}: rebalancing (generation {group.GenerationId}): {reason}");
    }

    /// <summary>Completes the join phase once every known member has rejoined, or its deadline passed.</summary>
    private void TryCompleteJoin(ConsumerGroup group, bool deadlinePassed = false)
    {
        if (group.State != GroupState.PreparingRebalance)
        {
            return;
        }
        var now = Now;
        if (now < group.InitialDelayUntilMs && !deadlinePassed)
        {
            return;
        }
        var allJoined = group.Members.Values.All(m => m.PendingJoin is not null);
        if (!allJoined && !deadlinePassed)
        {
            return;
        }
        foreach (var absent in group.Members.Values.Where(m => m.PendingJoin is null).ToList())
        {
            RemoveMember(group, absent.MemberId, "did not rejoin before the rebalance timeout");
        }

        group.GenerationId++;
        if (group.IsEmpty)
        {
            group.State = GroupState.Empty;
            group.ProtocolName = null;
            group.LeaderId = null;
            group.EmptySinceMs = now;
            PersistGroup(group);
            return;
        }
        group.ProtocolName = SelectProtocol(group);
        if (group.LeaderId is null || !group.Members.ContainsKey(group.LeaderId))
        {
            group.LeaderId = group.Members.Keys.First();
        }
        group.State = GroupState.CompletingRebalance;
        group.RebalanceDeadlineMs = now + group.Members.Values.Max(m => m.RebalanceTimeoutMs);
        ScheduleCheck(group, group.RebalanceDeadlineMs);
        foreach (var member in group.Members.Values)
        {
            member.LastHeartbeatMs = now;
            member.PendingJoin!.TrySetResult(Outcome(group, member));
            member.PendingJoin = null;
            WatchSession(group, member);
        }
    }

    private static JoinOutcome Outcome(ConsumerGroup group, GroupMember member) => new(
        0,
        group.GenerationId,
        group.ProtocolType,
        group.ProtocolName,
        group.LeaderId ?? "",
        member.MemberId,
        member.MemberId == group.LeaderId
            ? [.. group.Members.Values.Select(m => (m.MemberId, m.GroupInstanceId, m.MetadataFor(group.ProtocolName!)))]
            : []);

    /// <summary>Kafka's vote: among assignors every member supports, each member votes for its first; most votes win.</summary>
    private static string SelectProtocol(ConsumerGroup group)
    {
        var common = group.Members.Values
            .Select(m => m.Protocols.Select(p => p.Name).ToHashSet(StringComparer.Ordinal))
            .Aggregate((a, b) => { a.IntersectWith(b); return a; });
        return group.Members.Values
            .Select(m => m.Protocols.First(p => common.Contains(p.Name)).Name)
            .GroupBy(n => n, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .First().Key;
    }

    private static bool CommonProtocolExists(ConsumerGroup group, List<(string Name, byte[] Metadata)> protocols)
    {
        var names = protocols.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return group.Members.Values.All(m => m.Protocols.Any(p => names.Contains(p.Name)));
    }

    private void RemoveMember(ConsumerGroup group, string memberId, string reason)
    {
        if (!group.Members.Remove(memberId, out var member))
        {
            return;
        }
        if (member.GroupInstanceId is { } instanceId && group.StaticMembers.GetValueOrDefault(instanceId) == memberId)
        {
            group.StaticMembers.Remove(instanceId);
        }
        member.SessionTimer?.Cancel();
        member.PendingJoin?.TrySetResult(JoinOutcome.Error((short)ErrorCode.UnknownMemberId, memberId));
        member.PendingSync?.TrySetResult(SyncOutcome.Error((short)ErrorCode.UnknownMemberId));
        _log($"group {group.GroupId}: member {memberId} removed: {reason}");
    }

    private static short? MemberError(ConsumerGroup group, string memberId, string? instanceId, int generationId)
    {
        if (instanceId is not null && group.StaticMembers.TryGetValue(instanceId, out var current) && current != memberId)
        {
            return (short)ErrorCode.FencedInstanceId;
        }
        if (!group.Members.ContainsKey(memberId))
        {
            return (short)ErrorCode.UnknownMemberId;
        }
        if (generationId != group.GenerationId)
        {
            return (short)ErrorCode.IllegalGeneration;
        }
        return null;
    }

    private short? Refusal(string groupId)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            return (short)ErrorCode.InvalidGroupId;
        }
        return _loaded ? null : (short)ErrorCode.CoordinatorLoadInProgress;
    }

    private void PersistGroup(ConsumerGroup group)
    {
        _offsetsTopic.WriteGroup(group.GroupId, new GroupMetadataValue
        {
            ProtocolType = group.ProtocolType ?? "",
            Generation = group.GenerationId,
            Protocol = group.ProtocolName,
            Leader = group.LeaderId,
            CurrentStateTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Members = [.. group.Members.Values.Select(m => new GroupMetadataValue.MemberMetadata
            {
                MemberId = m.MemberId,
                GroupInstanceId = m.GroupInstanceId,
                ClientId = m.ClientId,
                ClientHost = m.ClientHost,
                RebalanceTimeout = m.RebalanceTimeoutMs,
                SessionTimeout = m.SessionTimeoutMs,
                Subscription = group.ProtocolName is { } p ? m.MetadataFor(p) : [],
                Assignment = m.Assignment,
            })],
        });
    }

    /// <summary>The topics the group's members subscribe to, read from their consumer-protocol metadata.</summary>
    private static HashSet<string> SubscribedTopics(ConsumerGroup group)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        if (group.ProtocolType != "consumer" || group.ProtocolName is null)
        {
            return topics;
        }
        foreach (var member in group.Members.Values)
        {
            try
            {
                var metadata = member.MetadataFor(group.ProtocolName);
                var reader = new ProtocolReader(metadata.AsMemory(2));
                var subscription = new ConsumerProtocolSubscription();
                subscription.Read(ref reader, Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(metadata), (short)3));
                topics.UnionWith(subscription.Topics);
            }
            catch (Exception e) when (e is ProtocolException or ArgumentException or InvalidOperationException)
            {
                // Metadata that is not the consumer protocol cannot subscribe the group to a topic we know.
            }
        }
        return topics;
    }

    /// <summary>What is due for a group now: unused member ids expire, and the current phase meets its deadline.</summary>
    private void CheckDeadlines(ConsumerGroup group, long now)
    {
        foreach (var (pendingId, expiry) in group.PendingMemberIds.ToList())
        {
            if (now >= expiry)
            {
                group.PendingMemberIds.Remove(pendingId);
            }
        }
        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                TryCompleteJoin(group, deadlinePassed: now >= group.RebalanceDeadlineMs);
                break;
            case GroupState.CompletingRebalance when now >= group.RebalanceDeadlineMs:
                PrepareRebalance(group, "the leader did not send the assignment in time");
                break;
        }
    }
}

/// <summary>A JoinGroup as the coordinator needs it.</summary>
public sealed record JoinRequest(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    List<(string Name, byte[] Metadata)> Protocols,
    bool RequireKnownMemberId);
