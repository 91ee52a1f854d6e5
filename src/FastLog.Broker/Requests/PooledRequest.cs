using FastLog.Broker.Network;
using FastLog.Protocol.Messages;
using Microsoft.Extensions.ObjectPool;

namespace FastLog.Broker.Requests;

/// <summary>Decoding into a pooled exchange (produce, fetch): the request's fields go into an object from the pool.</summary>
internal static class PooledRequest
{
    /// <summary>A decoded request; a malformed body throws <see cref="ProtocolException"/> and the object goes back.</summary>
    public static T Decode<T>(ObjectPool<T> pool, ReadOnlyMemory<byte> body, short version) where T : class, IMessage, IReleasableMessage
    {
        var exchange = pool.Get();
        try
        {
            var reader = new ProtocolReader(body);
            exchange.Read(ref reader, version);
            return exchange;
        }
        catch
        {
            exchange.Release();
            throw;
        }
    }
}
