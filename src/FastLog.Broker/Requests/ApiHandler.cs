using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>Handles one API: decodes its request at a version and produces the response.</summary>
public interface IApiHandler
{
    short ApiKey { get; }

    /// <summary>Versions this handler decodes and answers.</summary>
    short MinVersion { get; }
    short MaxVersion { get; }

    /// <summary>The minimum announced in ApiVersions; lower than <see cref="MinVersion"/> only for Produce (see there).</summary>
    short AdvertisedMinVersion { get; }

    bool IsFlexible(short version);
    IMessage Decode(ReadOnlyMemory<byte> body, short version);
    ValueTask<Response> HandleAsync(RequestContext context, IMessage request, CancellationToken cancellation);
}

/// <summary>The typed base: the generated request type supplies key, versions and decoding.</summary>
public abstract class ApiHandler<TRequest> : IApiHandler where TRequest : IRequestMessage, new()
{
    public short ApiKey => TRequest.ApiKey;
    public virtual short MinVersion => TRequest.LowestVersion;
    public virtual short MaxVersion => TRequest.HighestVersion;
    public virtual short AdvertisedMinVersion => MinVersion;

    public bool IsFlexible(short version) => TRequest.IsFlexible(version);

    public IMessage Decode(ReadOnlyMemory<byte> body, short version)
    {
        var reader = new ProtocolReader(body);
        var request = new TRequest();
        request.Read(ref reader, version);
        return request;
    }

    public ValueTask<Response> HandleAsync(RequestContext context, IMessage request, CancellationToken cancellation) =>
        HandleAsync(context, (TRequest)request, cancellation);

    protected abstract ValueTask<Response> HandleAsync(RequestContext context, TRequest request, CancellationToken cancellation);

    protected static short Version(RequestContext context) => context.Header.ApiVersion;
}
