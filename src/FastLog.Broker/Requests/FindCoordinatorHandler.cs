using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// FindCoordinator, announced so that librdkafka turns on LZ4 and its coordinator logic (it probes this API's
/// versions), but answered with COORDINATOR_NOT_AVAILABLE — a retriable error clients wait out — until the
/// group and transaction coordinators exist. Consumers that assign partitions themselves never need one.
/// </summary>
public sealed class FindCoordinatorHandler : ApiHandler<FindCoordinatorRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, FindCoordinatorRequest request, CancellationToken cancellation) =>
        ValueTask.FromResult(Response.Of(new FindCoordinatorResponse
        {
            ErrorCode = (short)ErrorCode.CoordinatorNotAvailable,
            ErrorMessage = "this broker has no group or transaction coordinator yet",
            NodeId = -1,
            Port = -1,
        }));
}
