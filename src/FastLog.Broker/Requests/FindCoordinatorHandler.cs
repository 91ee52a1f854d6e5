using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// FindCoordinator: this broker coordinates every group (it leads every partition of __consumer_offsets).
/// Transaction coordinators (key type 1) do not exist yet: COORDINATOR_NOT_AVAILABLE, which clients retry.
/// </summary>
public sealed class FindCoordinatorHandler(BrokerServices broker) : ApiHandler<FindCoordinatorRequest>
{
    private const sbyte GroupKeyType = 0;

    protected override ValueTask<Response> HandleAsync(RequestContext context, FindCoordinatorRequest request, CancellationToken cancellation)
    {
        if (request.KeyType != GroupKeyType)
        {
            return ValueTask.FromResult(Response.Of(new FindCoordinatorResponse
            {
                ErrorCode = (short)ErrorCode.CoordinatorNotAvailable,
                ErrorMessage = "this broker has no transaction coordinator yet",
                NodeId = -1,
                Port = -1,
            }));
        }
        var advertised = broker.AdvertisedFor(context.ListenerName);
        return ValueTask.FromResult(Response.Of(new FindCoordinatorResponse { NodeId = broker.NodeId, Host = advertised.Host, Port = advertised.Port }));
    }
}
