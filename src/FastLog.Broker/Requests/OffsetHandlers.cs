using FastLog.Broker.Groups;
using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>OffsetCommit: by a member of the current generation, or by a consumer outside any group (generation -1).</summary>
public sealed class OffsetCommitHandler(GroupCoordinator coordinator, BrokerServices broker) : ApiHandler<OffsetCommitRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, OffsetCommitRequest request, CancellationToken cancellation)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var response = new OffsetCommitResponse();
        var accepted = new List<(string Topic, int Partition, CommittedOffset Offset)>();
        var results = new List<(OffsetCommitResponse.OffsetCommitResponsePartition Result, bool Pending)>();
        foreach (var topic in request.Topics)
        {
            var topicResult = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
            response.Topics.Add(topicResult);
            foreach (var partition in topic.Partitions)
            {
                var result = new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = partition.PartitionIndex };
                topicResult.Partitions.Add(result);
                if (broker.Replicas.Get(topic.Name, partition.PartitionIndex) is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else if (partition.CommittedMetadata is { } metadata && metadata.Length > broker.Config.OffsetMetadataMaxBytes)
                {
                    result.ErrorCode = (short)ErrorCode.OffsetMetadataTooLarge;
                }
                else
                {
                    accepted.Add((topic.Name, partition.PartitionIndex, new CommittedOffset(partition.CommittedOffset, partition.CommittedLeaderEpoch, partition.CommittedMetadata, now)));
                    results.Add((result, true));
                }
            }
        }
        if (accepted.Count > 0)
        {
            var error = coordinator.CommitOffsets(request.GroupId, request.GenerationIdOrMemberEpoch, request.MemberId, request.GroupInstanceId, accepted);
            foreach (var (result, _) in results)
            {
                result.ErrorCode = error;
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}

/// <summary>OffsetFetch: committed offsets (-1 when none); a null topic list (v2+) asks for all of the group's.</summary>
public sealed class OffsetFetchHandler(GroupCoordinator coordinator) : ApiHandler<OffsetFetchRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, OffsetFetchRequest request, CancellationToken cancellation)
    {
        var response = new OffsetFetchResponse();
        if (!coordinator.IsLoaded)
        {
            response.ErrorCode = (short)ErrorCode.CoordinatorLoadInProgress;
            return ValueTask.FromResult(Response.Of(response));
        }
        var committed = coordinator.FetchOffsets(request.GroupId);
        var wanted = request.Topics is null
            ? committed.Keys.GroupBy(k => k.Topic).Select(g => (g.Key, g.Select(k => k.Partition).Order().ToList())).ToList()
            : request.Topics.Select(t => (t.Name, t.PartitionIndexes)).ToList();
        foreach (var (topic, partitions) in wanted)
        {
            var topicResult = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = topic };
            response.Topics.Add(topicResult);
            foreach (var partition in partitions)
            {
                var found = committed.GetValueOrDefault((topic, partition));
                topicResult.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition
                {
                    PartitionIndex = partition,
                    CommittedOffset = found?.Offset ?? -1,
                    CommittedLeaderEpoch = found?.LeaderEpoch ?? -1,
                    Metadata = found?.Metadata ?? "",
                });
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}

/// <summary>OffsetDelete: drops committed offsets of topics the group no longer subscribes to.</summary>
public sealed class OffsetDeleteHandler(GroupCoordinator coordinator) : ApiHandler<OffsetDeleteRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, OffsetDeleteRequest request, CancellationToken cancellation)
    {
        var partitions = request.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex))).ToList();
        var (error, results) = coordinator.DeleteOffsets(request.GroupId, partitions);
        var response = new OffsetDeleteResponse { ErrorCode = error };
        if (error == 0)
        {
            foreach (var topic in request.Topics)
            {
                response.Topics.Add(new OffsetDeleteResponse.OffsetDeleteResponseTopic
                {
                    Name = topic.Name,
                    Partitions = [.. topic.Partitions.Select(p => new OffsetDeleteResponse.OffsetDeleteResponsePartition
                    {
                        PartitionIndex = p.PartitionIndex,
                        ErrorCode = results.GetValueOrDefault((topic.Name, p.PartitionIndex)),
                    })],
                });
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}
