namespace FastLog.Broker.Network;

/// <summary>Turns one request frame into a response; the connection owns framing, order and sockets.</summary>
public interface IRequestProcessor
{
    /// <param name="frame">The whole request after the size prefix: header, then body.</param>
    ValueTask<(RequestHeader Header, Response Response, bool FlexibleResponseHeader)> ProcessAsync(
        ReadOnlyMemory<byte> frame, System.Net.EndPoint? client, string listenerName, CancellationToken cancellation);
}

/// <summary>Record bytes a response sends from outside its buffer (a segment file region).</summary>
public interface ISendableRecords : Protocol.Messages.IExternalRecords
{
    /// <summary>Copies the bytes out (the copying send path; zero-copy sends come with the fast path).</summary>
    void CopyTo(Span<byte> destination);
}
