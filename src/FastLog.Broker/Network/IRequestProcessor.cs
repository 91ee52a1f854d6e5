using FastLog.Storage.Files;

namespace FastLog.Broker.Network;

/// <summary>Turns one request frame into a response; the connection owns framing, order and sockets.</summary>
public interface IRequestProcessor
{
    /// <param name="frame">The whole request after the size prefix: header, then body.</param>
    ValueTask<(RequestHeader Header, Response Response, bool FlexibleResponseHeader)> ProcessAsync(
        ReadOnlyMemory<byte> frame, System.Net.EndPoint? client, string listenerName, CancellationToken cancellation);
}

/// <summary>Record bytes a response sends from outside its buffer: a region of a segment file.</summary>
public interface ISendableRecords : Protocol.Messages.IExternalRecords
{
    /// <summary>
    /// Pins the file the bytes live in until the lease is disposed; they are [position, position + Length) of it.
    /// The bytes were verified (CRC-32C) before this object was made, so a send may serve them as they are.
    /// An <see cref="IOException"/> when the file no longer holds the whole region.
    /// </summary>
    FileLease Pin(out long position);
}
