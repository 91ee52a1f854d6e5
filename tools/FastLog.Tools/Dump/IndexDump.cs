using System.Buffers.Binary;
using FastLog.Storage.Index;
using FastLog.Storage.Segments;
using FastLog.Storage.Verification;
using FastLog.Tools.Cli;

namespace FastLog.Tools.Dump;

/// <summary>Prints the entries of a .index or .timeindex with absolute offsets; the zero tail of an active index is left out.</summary>
internal static class IndexDump
{
    public static int RunOffsetIndex(string path, TextWriter output)
    {
        var baseOffset = BaseOffset(path, SegmentFileNames.IndexSuffix);
        return Run(path, VerificationFileKind.Index, OffsetIndex.EntryBytes, baseOffset, output, entry =>
            $"offset: {baseOffset + BinaryPrimitives.ReadInt32BigEndian(entry)} position: {BinaryPrimitives.ReadInt32BigEndian(entry[4..])}");
    }

    public static int RunTimeIndex(string path, TextWriter output)
    {
        var baseOffset = BaseOffset(path, SegmentFileNames.TimeIndexSuffix);
        return Run(path, VerificationFileKind.TimeIndex, TimeIndex.EntryBytes, baseOffset, output, entry =>
            $"timestamp: {BinaryPrimitives.ReadInt64BigEndian(entry)} offset: {baseOffset + BinaryPrimitives.ReadInt32BigEndian(entry[8..])}");
    }

    private delegate string EntryText(ReadOnlySpan<byte> entry);

    private static int Run(string path, VerificationFileKind kind, int entrySize, long baseOffset, TextWriter output, EntryText format)
    {
        output.WriteLine($"Dumping {path}");
        var problem = IndexEntryWalker.Walk(path, kind, entrySize, baseOffset, (entry, _) =>
        {
            output.WriteLine(format(entry));
            return null;
        });
        if (problem is null)
        {
            return ExitCodes.Ok;
        }
        output.WriteLine($"corrupt index at position {problem.Position}: {problem.Reason}");
        return ExitCodes.Usage;
    }

    private static long BaseOffset(string path, string suffix) =>
        SegmentFileNames.ParseBaseOffset(Path.GetFileName(path), suffix) ?? 0;
}
