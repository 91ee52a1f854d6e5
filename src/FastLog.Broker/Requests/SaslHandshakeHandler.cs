using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// SaslHandshake: no mechanism is enabled until authentication exists, so every mechanism is refused with an
/// empty list. Versions 0 and 1 are announced because librdkafka up to 2.11 probes for them.
/// </summary>
public sealed class SaslHandshakeHandler : ApiHandler<SaslHandshakeRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, SaslHandshakeRequest request, CancellationToken cancellation) =>
        ValueTask.FromResult(Response.Of(new SaslHandshakeResponse { ErrorCode = (short)ErrorCode.UnsupportedSaslMechanism }));
}
