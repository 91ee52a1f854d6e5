namespace FastLog.Protocol.Records;

/// <summary>Why a batch was refused. The broker maps each to a Kafka error code.</summary>
public enum BatchValidationError
{
    None = 0,

    /// <summary>Fewer bytes than a header, or batchLength pointing past the bytes at hand (CORRUPT_MESSAGE).</summary>
    Truncated,

    /// <summary>batchLength smaller than a header or larger than the allowed maximum (CORRUPT_MESSAGE / MESSAGE_TOO_LARGE).</summary>
    InvalidLength,

    /// <summary>Magic other than 2: FastLog stores only RecordBatch v2 (UNSUPPORTED_FOR_MESSAGE_FORMAT).</summary>
    UnsupportedMagic,

    /// <summary>The CRC-32C over attributes..end does not match (CORRUPT_MESSAGE).</summary>
    CrcMismatch,

    /// <summary>Record count, offset range or attributes inconsistent (INVALID_RECORD).</summary>
    InvalidRecordCount,

    /// <summary>Compression codec id above 4 (INVALID_RECORD; Kafka says UNSUPPORTED_COMPRESSION_TYPE for known-but-disabled).</summary>
    UnknownCompression,
}

/// <summary>The outcome of validating one batch: its header when valid, else the error and a sentence for the log.</summary>
public readonly record struct BatchValidation(BatchValidationError Error, RecordBatchHeader Header, string? Message)
{
    public bool IsValid => Error == BatchValidationError.None;

    public static BatchValidation Ok(RecordBatchHeader header) => new(BatchValidationError.None, header, null);
    public static BatchValidation Fail(BatchValidationError error, string message) => new(error, default, message);
}
