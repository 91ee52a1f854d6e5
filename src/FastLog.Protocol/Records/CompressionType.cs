namespace FastLog.Protocol.Records;

/// <summary>Codec ids of attribute bits 0-2 of a record batch.</summary>
public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
