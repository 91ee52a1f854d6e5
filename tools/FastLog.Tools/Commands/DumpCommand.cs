using FastLog.Storage.Segments;
using FastLog.Tools.Cli;
using FastLog.Tools.Dump;

namespace FastLog.Tools.Commands;

/// <summary>"fastlog log dump &lt;file&gt;": picks the dump by the file's suffix.</summary>
internal static class DumpCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var parsed = Arguments.Parse(args, ["--records"], ["--max-batches"]);
        var path = parsed.SinglePath("file to dump");
        var records = parsed.Flag("--records");
        var maxBatches = parsed.Int("--max-batches", int.MaxValue, 0);
        if (!File.Exists(path))
        {
            throw new UsageException($"{path} does not exist or is not a file");
        }
        try
        {
            return Path.GetExtension(path) switch
            {
                SegmentFileNames.LogSuffix => SegmentDump.Run(path, records, maxBatches, output),
                SegmentFileNames.IndexSuffix => IndexDump.RunOffsetIndex(path, output),
                SegmentFileNames.TimeIndexSuffix => IndexDump.RunTimeIndex(path, output),
                _ => throw new UsageException($"cannot tell what {path} holds: expected a .log, .index or .timeindex file"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.Flush();
            error.WriteLine($"error: cannot read {path}: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
