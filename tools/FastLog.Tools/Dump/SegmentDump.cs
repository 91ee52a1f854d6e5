using FastLog.Protocol.Records;
using FastLog.Storage.Segments;
using FastLog.Storage.Verification;
using FastLog.Tools.Cli;

namespace FastLog.Tools.Dump;

/// <summary>
/// Prints the batches (and records) of a .log file, stopping at its zero tail or its first corrupt batch. A segment
/// the cleaner wrote has offsets missing, between batches and inside them: a last line counts them.
/// </summary>
internal static class SegmentDump
{
    public static int Run(string path, bool records, int maxBatches, TextWriter output)
    {
        var baseOffset = SegmentFileNames.ParseBaseOffset(Path.GetFileName(path), SegmentFileNames.LogSuffix) ?? 0;
        using var scanner = SegmentBatchScanner.Open(path, baseOffset, baseOffset);
        output.WriteLine($"Dumping {path}");
        var batches = 0;
        long removed = 0, next = baseOffset;
        while (batches < maxBatches && scanner.MoveNext())
        {
            batches++;
            removed += scanner.Header.BaseOffset - next + scanner.Header.LastOffsetDelta + 1L - scanner.Header.RecordsCount;
            next = scanner.Header.NextOffset;
            output.WriteLine(DumpText.BatchLine(scanner.Position, scanner.Header, crcValid: true));
            if (records && WriteRecords(scanner, output) is { } reason)
            {
                output.WriteLine(CorruptLine(scanner.Position, scanner.Header.BaseOffset, $"records: {reason}"));
                return ExitCodes.Usage;
            }
        }
        if (scanner.Problem is not { } problem)
        {
            if (removed > 0)
            {
                output.WriteLine($"compacted: {removed} of the {next - baseOffset} offsets in [{baseOffset}, {next}) were removed by the log cleaner");
            }
            return ExitCodes.Ok;
        }
        if (scanner.HasHeader)
        {
            output.WriteLine(DumpText.BatchLine(scanner.Position, scanner.Header, scanner.CrcValid));
        }
        output.WriteLine(CorruptLine(problem.Position, problem.Offset, problem.Reason));
        return ExitCodes.Usage;
    }

    private static string CorruptLine(long position, long offset, string reason) =>
        $"corrupt batch at position {position} (offset {offset}): {reason}";

    /// <summary>Writes one line per record of the current batch; returns why they could not be decoded, or null.</summary>
    private static string? WriteRecords(SegmentBatchScanner scanner, TextWriter output)
    {
        List<Record> decoded;
        try
        {
            decoded = RecordBatchReader.ReadRecords(scanner.ReadBatch().Span);
        }
        catch (RecordFormatException e)
        {
            return e.Message;
        }
        foreach (var record in decoded)
        {
            output.WriteLine(DumpText.RecordLine(record, scanner.Header.IsControl));
        }
        return null;
    }
}
