using System.Net;

namespace FastLog.Broker.Network;

/// <summary>What a handler knows about the request besides its body (a struct: one is made per request).</summary>
public readonly record struct RequestContext(RequestHeader Header, EndPoint? ClientAddress, string ListenerName);
