using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// ApiVersions: the versions of every API this broker answers, exactly those its handlers implement.
/// No features are announced, which keeps Java clients on the classic transaction protocol.
/// </summary>
public sealed class ApiVersionsHandler(Func<RequestDispatcher> dispatcher) : ApiHandler<ApiVersionsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, ApiVersionsRequest request, CancellationToken cancellation) =>
        ValueTask.FromResult(Response.Of(Build(dispatcher(), ErrorCode.None)));

    /// <summary>The reply to a too-new ApiVersions request: v0 body, UNSUPPORTED_VERSION, and the supported ranges.</summary>
    public static ApiVersionsResponse UnsupportedVersion(RequestDispatcher dispatcher) => Build(dispatcher, ErrorCode.UnsupportedVersion);

    private static ApiVersionsResponse Build(RequestDispatcher dispatcher, ErrorCode error) => new()
    {
        ErrorCode = (short)error,
        ApiKeys = [.. dispatcher.Handlers
            .OrderBy(h => h.ApiKey)
            .Select(h => new ApiVersionsResponse.ApiVersion { ApiKey = h.ApiKey, MinVersion = h.AdvertisedMinVersion, MaxVersion = h.MaxVersion })],
    };
}
