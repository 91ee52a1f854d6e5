using FastLog.Storage.Files;

namespace FastLog.Broker.Network;

/// <summary>Turns one request frame into a response; the connection owns framing, order and sockets.</summary>
public interface IRequestProcessor
{
    /// <summary>
    /// Starts processing: the handler's synchronous part (for produce, the publish into the rings) has run when
    /// this returns, and the response comes with <see cref="ProcessedRequest.Response"/>. A malformed request
    /// throws <see cref="Protocol.Messages.ProtocolException"/> here.
    /// </summary>
    /// <param name="frame">The whole request after the size prefix: header, then body.</param>
    ProcessedRequest Process(ReadOnlyMemory<byte> frame, System.Net.EndPoint? client, string listenerName, CancellationToken cancellation);
}

/// <summary>
/// A request whose processing has started: its header, how to frame its response, and the response to come, to be
/// awaited exactly once (it may be a pooled source). A struct with no async method around it: nothing per request.
/// </summary>
public readonly record struct ProcessedRequest(RequestHeader Header, bool FlexibleResponseHeader, ValueTask<Response> Response);

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
