using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// DeleteRecords: moves a partition's log start offset forward (-1 means the high watermark); whole segments
/// below it are deleted and consumers below it get OFFSET_OUT_OF_RANGE.
/// </summary>
public sealed class DeleteRecordsHandler(BrokerServices broker) : ApiHandler<DeleteRecordsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, DeleteRecordsRequest request, CancellationToken cancellation)
    {
        var response = new DeleteRecordsResponse();
        foreach (var topic in request.Topics)
        {
            var topicResult = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = topic.Name };
            response.Topics.Add(topicResult);
            foreach (var requested in topic.Partitions)
            {
                var result = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = requested.PartitionIndex, LowWatermark = -1 };
                topicResult.Partitions.Add(result);
                var partition = broker.Replicas.Get(topic.Name, requested.PartitionIndex);
                if (partition is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                var target = requested.Offset == -1 ? partition.HighWatermark : requested.Offset;
                if (target < 0 || target > partition.HighWatermark)
                {
                    result.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
                    continue;
                }
                partition.Log.IncreaseLogStartOffset(target);
                result.LowWatermark = partition.LogStartOffset;
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}
