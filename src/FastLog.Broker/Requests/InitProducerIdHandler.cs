using FastLog.Broker.Network;
using FastLog.Broker.Producers;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// InitProducerId for idempotent producers (no transactional id): a new producer id with epoch 0, or, from v3
/// on, the caller's own id with its epoch bumped (KIP-360: a producer that lost track of its sequences starts
/// a new epoch at sequence 0 instead of failing).
/// </summary>
public sealed class InitProducerIdHandler(BrokerServices broker) : ApiHandler<InitProducerIdRequest>
{
    private const short NoEpoch = -1;

    /// <summary>Kafka's rule: an epoch this high cannot be bumped again, so the producer gets a new id.</summary>
    private const short LastBumpableEpoch = short.MaxValue - 1;

    private readonly ProducerIdManager _ids = ProducerIdManager.Open(broker.Config.LogDirs[0]);

    protected override ValueTask<Response> HandleAsync(RequestContext context, InitProducerIdRequest request, CancellationToken cancellation) =>
        ValueTask.FromResult(Response.Of(Answer(request)));

    private InitProducerIdResponse Answer(InitProducerIdRequest request)
    {
        if (request.TransactionalId is not null)
        {
            // Transactions are not implemented. Clients reach this only by skipping FindCoordinator (which
            // finds no transaction coordinator). TRANSACTIONAL_ID_AUTHORIZATION_FAILED is not retriable and is
            // fatal in librdkafka and the Java client alike, so initTransactions() fails at once with a clear
            // error; COORDINATOR_NOT_AVAILABLE or NOT_COORDINATOR would be retried until the client times out.
            // Produce answers transactional requests with the same code.
            return Error(ErrorCode.TransactionalIdAuthorizationFailed);
        }
        var (producerId, epoch) = (request.ProducerId, request.ProducerEpoch);
        if (producerId == -1 && epoch == NoEpoch)
        {
            return Granted(_ids.Generate(), 0);
        }
        if (producerId == -1 || epoch == NoEpoch)
        {
            return Error(ErrorCode.InvalidRequest); // Kafka: both or neither
        }
        // Kafka hands a non-transactional producer a new id even here. Keeping the id and bumping the epoch
        // (as Kafka does for transactional ids) lets the partitions fence the old epoch at once with
        // INVALID_PRODUCER_EPOCH, and leaves no orphaned producer state behind to expire. An id this broker
        // never issued, or an exhausted epoch, gets a new id instead.
        if (epoch < 0 || epoch >= LastBumpableEpoch || !_ids.MayHaveIssued(producerId))
        {
            return Granted(_ids.Generate(), 0);
        }
        return Granted(producerId, (short)(epoch + 1));
    }

    private static InitProducerIdResponse Granted(long producerId, short epoch) =>
        new() { ErrorCode = (short)ErrorCode.None, ProducerId = producerId, ProducerEpoch = epoch };

    private static InitProducerIdResponse Error(ErrorCode error) =>
        new() { ErrorCode = (short)error, ProducerId = -1, ProducerEpoch = NoEpoch };
}
