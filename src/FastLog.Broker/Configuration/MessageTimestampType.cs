namespace FastLog.Broker.Configuration;

/// <summary>message.timestamp.type; the values match the timestamp-type bit of a RecordBatch's attributes.</summary>
public enum MessageTimestampType
{
    /// <summary>The producer's timestamp is kept.</summary>
    CreateTime = 0,

    /// <summary>The broker stamps the time it appended the batch.</summary>
    LogAppendTime = 1,
}
