using System.IO.Hashing;

namespace FastLog.Protocol;

/// <summary>CRC-32C (Castagnoli), the checksum of RecordBatch v2.</summary>
/// <remarks>
/// One small function so that every caller shares the fastest implementation: System.IO.Hashing 11
/// offers the Castagnoli parameter set with vectorised (SSE4.2 / PCLMULQDQ) kernels.
/// </remarks>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) =>
        Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>An incremental hasher, for data that arrives in pieces.</summary>
    public static Crc32 CreateIncremental() => new(Crc32ParameterSet.Crc32C);
}
