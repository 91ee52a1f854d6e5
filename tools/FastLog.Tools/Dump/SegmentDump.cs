using FastLog.Protocol.Records;
using FastLog.Storage.Segments;
using FastLog.Storage.Verification;
using FastLog.Tools.Cli;

namespace FastLog.Tools.Dump;

/// <summary>Prints the batches (and records) of a .log file, stopping at its zero tail or its first corrupt batch.</summary>
internal static class SegmentDump
{
    public static int Run(string path, bool records, int maxBatches, TextWriter output)
    {
        var baseOffset = SegmentFileNames.ParseBaseOffset(Path.GetFileName(path), SegmentFileNames.LogSuffix) ?? 0;
        using var scanner = SegmentBatchScanner.Open(path, baseOffset, baseOffset);
        output.WriteLine($"Dumping {path}");
        var batches = 0;
        while (batches < maxBatches && scanner.MoveNext())
        {
            batches++;
            output.WriteLine(DumpText.BatchLine(scanner.Position, scanner.Header, crcValid: true));
            if (records && WriteRecords(scanner, output) is { } reason)
            {
                output.WriteLine(CorruptLine(scanner.Position, scanner.Header.BaseOffset, $"records: {reason}"));
                return ExitCodes.Usage;
            }
        }
        if (scanner.Problem is not { } problem)
        {
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
