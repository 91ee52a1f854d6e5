namespace FastLog.Broker.Network;

/// <summary>Per-connection bounds, with Kafka's names.</summary>
public sealed record ConnectionLimits
{
    /// <summary>socket.request.max.bytes: a larger frame closes the connection before anything is allocated.</summary>
    public int MaxRequestBytes { get; init; } = 104_857_600;

    /// <summary>connections.max.idle.ms; -1 never closes an idle connection.</summary>
    public long MaxIdleMs { get; init; } = 600_000;

    /// <summary>Requests read ahead while earlier ones are still being answered; then the connection stops reading.</summary>
    public int MaxInFlightRequests { get; init; } = 64;

    /// <summary>socket.send.buffer.bytes; -1 leaves the operating system's default.</summary>
    public int SendBufferBytes { get; init; } = -1;

    /// <summary>socket.receive.buffer.bytes; -1 leaves the operating system's default.</summary>
    public int ReceiveBufferBytes { get; init; } = -1;
}
