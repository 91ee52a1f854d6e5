namespace FastLog.Broker.Network;

/// <summary>How a connection puts a response's external record bytes on its socket (zero-copy or copying).</summary>
public interface IRecordsSender
{
    /// <summary>Sends all of the records' bytes, holding their file open until the last byte is queued.</summary>
    ValueTask SendAsync(ISendableRecords records, CancellationToken cancellation);
}
