using System.Net;
using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// Routes a request frame to its API's handler. An unknown API key or an unsupported version closes the
/// connection, as Kafka does (InvalidRequestException) — except ApiVersions, which answers an unsupported
/// version with a v0 body carrying UNSUPPORTED_VERSION and the supported ranges, so clients can retry lower.
/// </summary>
public sealed class RequestDispatcher : IRequestProcessor
{
    private readonly Dictionary<short, IApiHandler> _handlers;

    public RequestDispatcher(IEnumerable<IApiHandler> handlers)
    {
        _handlers = handlers.ToDictionary(h => h.ApiKey);
    }

    public IReadOnlyCollection<IApiHandler> Handlers => _handlers.Values;

    public ProcessedRequest Process(ReadOnlyMemory<byte> frame, EndPoint? client, string listenerName, CancellationToken cancellation)
    {
        var (header, handler, bodyOffset, refusal) = ReadHeader(frame);
        if (refusal is { } refused)
        {
            return new ProcessedRequest(header, false, ValueTask.FromResult(refused));
        }
        var request = handler!.Decode(frame[bodyOffset..], header.ApiVersion);
        var response = handler.HandleAsync(new RequestContext(header, client, listenerName), request, cancellation);
        // Every ApiVersions response uses header v0, even in flexible versions (KIP-511).
        var flexibleHeader = handler.ApiKey != (short)ApiKey.ApiVersions && handler.IsFlexible(header.ApiVersion);
        return new ProcessedRequest(header, flexibleHeader, response);
    }

    private (RequestHeader Header, IApiHandler? Handler, int BodyOffset, Response? Refusal) ReadHeader(ReadOnlyMemory<byte> frame)
    {
        var reader = new ProtocolReader(frame);
        var header = RequestHeader.Read(ref reader);
        if (!_handlers.TryGetValue(header.ApiKey, out var handler))
        {
            return (header, null, 0, Response.Close($"unknown API key {header.ApiKey} (version {header.ApiVersion}) from client '{header.ClientId}'"));
        }
        if (header.ApiVersion < handler.AdvertisedMinVersion || header.ApiVersion > handler.MaxVersion)
        {
            if (header.ApiKey == (short)ApiKey.ApiVersions && header.ApiVersion > handler.MaxVersion)
            {
                return (header, handler, 0, new Response(ApiVersionsHandler.UnsupportedVersion(this), VersionOverride: 0, ForceHeaderV0: true));
            }
            return (header, handler, 0, Response.Close($"unsupported version {header.ApiVersion} of API {(ApiKey)header.ApiKey} from client '{header.ClientId}'"));
        }
        if (handler.IsFlexible(header.ApiVersion))
        {
            RequestHeader.SkipTaggedFields(ref reader);
        }
        return (header, handler, reader.Position, null);
    }
}
