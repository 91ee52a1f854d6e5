using FastLog.Storage.Segments;

namespace FastLog.Storage.Verification;

/// <summary>
/// A read-only check of logs on disk, for the command line and for tests. It reads the files directly and
/// never opens them as a <see cref="PartitionLog"/>, which would recover (and so cut) what it should report.
/// Each segment, in offset order: every batch validated and in offset order, then its .index and .timeindex
/// checked against the batches found. Only the last segment may end in preallocated zeros: the log trims a
/// segment to its data when it rolls. Stops at the first problem; bad bytes give a problem, never an exception.
/// </summary>
public static class LogVerifier
{
    /// <summary>Checks every partition folder (each subfolder holding .log files) of a data dir, in name order.</summary>
    public static LogVerificationResult VerifyDataDirectory(string dir, LogVerifierOptions? options = null)
    {
        options ??= new LogVerifierOptions();
        var tally = new VerificationTally();
        if (!TryList(dir, () => Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal).ToList(), out var folders, out var problem))
        {
            return tally.Result(problem);
        }
        foreach (var folder in folders)
        {
            if (!TryList(folder, () => Directory.EnumerateFiles(folder, "*" + SegmentFileNames.LogSuffix).ToList(), out var logs, out problem))
            {
                return tally.Result(problem);
            }
            if (logs.Count == 0)
            {
                continue;
            }
            problem = VerifyPartition(folder, logs, tally, options);
            if (problem is not null)
            {
                return tally.Result(problem);
            }
        }
        return tally.Result(null);
    }

    /// <summary>Checks the segments of one partition folder.</summary>
    public static LogVerificationResult VerifyPartitionDirectory(string dir, LogVerifierOptions? options = null)
    {
        options ??= new LogVerifierOptions();
        var tally = new VerificationTally();
        if (!TryList(dir, () => Directory.EnumerateFiles(dir, "*" + SegmentFileNames.LogSuffix).ToList(), out var logs, out var problem))
        {
            return tally.Result(problem);
        }
        return tally.Result(VerifyPartition(dir, logs, tally, options));
    }

    private static VerificationProblem? VerifyPartition(string dir, List<string> logFiles, VerificationTally tally, LogVerifierOptions options)
    {
        tally.Partitions++;
        var baseOffsets = logFiles
            .Select(f => SegmentFileNames.ParseBaseOffset(Path.GetFileName(f), SegmentFileNames.LogSuffix))
            .OfType<long>()
            .Order()
            .ToList();
        var nextOffset = 0L;
        for (var i = 0; i < baseOffsets.Count; i++)
        {
            var baseOffset = baseOffsets[i];
            tally.Segments++;
            if (baseOffset < nextOffset)
            {
                // Lookups pick a segment by base offset: an overlap would hide the previous segment's last offsets.
                return new VerificationProblem(SegmentFileNames.Log(dir, baseOffset), VerificationFileKind.Batch, baseOffset, 0,
                    $"segment overlap: base offset {baseOffset} is below the previous segment's next offset {nextOffset}");
            }
            var problem = VerifySegment(dir, baseOffset, isLast: i == baseOffsets.Count - 1, ref nextOffset, tally, options);
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    private static VerificationProblem? VerifySegment(string dir, long baseOffset, bool isLast, ref long nextOffset, VerificationTally tally, LogVerifierOptions options)
    {
        var logPath = SegmentFileNames.Log(dir, baseOffset);
        var batches = new SegmentBatchList();
        SegmentBatchScanner scanner;
        try
        {
            scanner = SegmentBatchScanner.Open(logPath, baseOffset, nextOffset, options.MaxBufferedBatchBytes, zeroTailAllowed: isLast);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new VerificationProblem(logPath, VerificationFileKind.Batch, Math.Max(baseOffset, nextOffset), 0, $"cannot read: {e.Message}");
        }
        using (scanner)
        {
            while (scanner.MoveNext())
            {
                var header = scanner.Header;
                batches.Add(scanner.Position, header.BaseOffset);
                tally.Batches++;
                tally.Records += header.RecordsCount;
                tally.Bytes += header.TotalSize;
            }
            if (scanner.Problem is not null)
            {
                return scanner.Problem;
            }
            nextOffset = scanner.NextOffset;
        }
        return IndexChecks.VerifyOffsetIndex(SegmentFileNames.Index(dir, baseOffset), baseOffset, batches)
            ?? IndexChecks.VerifyTimeIndex(SegmentFileNames.TimeIndex(dir, baseOffset), baseOffset, batches);
    }

    private static bool TryList(string dir, Func<List<string>> list, out List<string> entries, out VerificationProblem? problem)
    {
        try
        {
            entries = list();
            problem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            entries = [];
            problem = new VerificationProblem(dir, VerificationFileKind.Directory, 0, 0, $"cannot list: {e.Message}");
            return false;
        }
    }
}
