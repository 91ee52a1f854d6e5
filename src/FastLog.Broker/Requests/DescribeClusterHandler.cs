using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>DescribeCluster: the brokers (this one), the cluster id and the controller (also this one).</summary>
public sealed class DescribeClusterHandler(BrokerServices broker) : ApiHandler<DescribeClusterRequest>
{
    private const sbyte BrokersEndpointType = 1;

    protected override ValueTask<Response> HandleAsync(RequestContext context, DescribeClusterRequest request, CancellationToken cancellation)
    {
        var response = new DescribeClusterResponse { ClusterId = broker.Metadata.ClusterId, ControllerId = broker.NodeId };
        if (Version(context) >= 1 && request.EndpointType != BrokersEndpointType)
        {
            response.ErrorCode = (short)ErrorCode.UnsupportedEndpointType;
            response.ErrorMessage = "only broker endpoints are described";
            return ValueTask.FromResult(Response.Of(response));
        }
        var advertised = broker.AdvertisedFor(context.ListenerName);
        response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker { BrokerId = broker.NodeId, Host = advertised.Host, Port = advertised.Port });
        return ValueTask.FromResult(Response.Of(response));
    }
}
