using FastLog.Storage.Segments;
using FastLog.Storage.Verification;
using FastLog.Tools.Cli;

namespace FastLog.Tools.Commands;

/// <summary>"fastlog log verify &lt;dir&gt;": runs <see cref="LogVerifier"/> and turns its result into a line and an exit code.</summary>
internal static class VerifyCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var path = Arguments.Parse(args, [], []).SinglePath("partition or data directory");
        if (File.Exists(path))
        {
            throw new UsageException($"{path} is a file; verify takes a partition folder or a data dir");
        }
        if (!Directory.Exists(path))
        {
            error.WriteLine($"error: {path} does not exist");
            return ExitCodes.VerificationFailed;
        }

        var result = IsPartitionDirectory(path) ? LogVerifier.VerifyPartitionDirectory(path) : LogVerifier.VerifyDataDirectory(path);
        if (result.Problem is { } problem)
        {
            output.WriteLine($"FAILED: {problem}");
            return ExitCodes.VerificationFailed;
        }
        output.WriteLine(
            $"OK: {path}: {Plural(result.Partitions, "partition")}, {Plural(result.Segments, "segment")}, " +
            $"{Plural(result.Batches, "batch", "batches")}, {Plural(result.Records, "record")}, {Plural(result.Bytes, "byte")}");
        return ExitCodes.Ok;
    }

    private static bool IsPartitionDirectory(string path)
    {
        try
        {
            return Directory.EnumerateFiles(path, "*" + SegmentFileNames.LogSuffix).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the verifier reports the folder it cannot list
        }
    }

    private static string Plural(long count, string one, string? many = null) => $"{count} {(count == 1 ? one : many ?? one + "s")}";
}
