using System.Net;

namespace FastLog.Broker.Network;

/// <summary>What a handler knows about the request besides its body.</summary>
public sealed record RequestContext(RequestHeader Header, EndPoint? ClientAddress, string ListenerName);
