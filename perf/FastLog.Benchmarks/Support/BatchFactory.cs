using FastLog.Protocol.Records;

namespace FastLog.Benchmarks.Support;

/// <summary>Valid, uncompressed RecordBatch v2 bytes of an exact total size, for appending the same batch over and over.</summary>
internal static class BatchFactory
{
    /// <summary>A fixed timestamp: the benchmarks must not depend on the clock, and one value keeps the time index small.</summary>
    public const long Timestamp = 1_700_000_000_000;

    /// <summary>
    /// Builds a batch of <paramref name="totalBytes"/> bytes holding records of about <paramref name="recordBytes"/>.
    /// Exact sizes keep the flush points on whole MiB. The difference left by varint and header overhead is spread
    /// over all records a byte each, so no value length is pushed across a varint boundary (which would make the
    /// size jump and the search oscillate).
    /// </summary>
    public static byte[] Build(int totalBytes, int recordBytes)
    {
        var count = Math.Max(1, totalBytes / recordBytes);
        var random = new Random(42);
        var valueSizes = Enumerable.Repeat(Math.Max(1, recordBytes - 12), count).ToArray();
        for (var round = 0; round < 8; round++)
        {
            var records = new List<Record>(count);
            foreach (var size in valueSizes)
            {
                var value = new byte[size];
                random.NextBytes(value);
                records.Add(Record.Create(key: null, value, Timestamp));
            }
            var batch = RecordBatchBuilder.BuildDense(new RecordBatchOptions(), records);
            var difference = totalBytes - batch.Length;
            if (difference == 0)
            {
                return batch;
            }
            for (var i = 0; i < Math.Abs(difference); i++)
            {
                valueSizes[i % count] += Math.Sign(difference);
            }
            if (valueSizes.Any(size => size < 0))
            {
                break;
            }
        }
        throw new InvalidOperationException($"cannot build a batch of exactly {totalBytes} bytes from records of {recordBytes}");
    }
}
