namespace FastLog.Protocol.Records;

/// <summary>Bytes that are not a well-formed record or batch; the broker maps it to INVALID_RECORD or CORRUPT_MESSAGE.</summary>
public sealed class RecordFormatException(string message) : Exception(message);
