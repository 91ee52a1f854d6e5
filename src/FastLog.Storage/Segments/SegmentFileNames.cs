using System.Globalization;

namespace FastLog.Storage.Segments;

/// <summary>Kafka's file names: the base offset as 20 digits, then the file's kind.</summary>
public static class SegmentFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";

    public static string BaseName(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string Log(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + LogSuffix);
    public static string Index(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + IndexSuffix);
    public static string TimeIndex(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + TimeIndexSuffix);

    /// <summary>The base offset of a segment file name, or null if the name is not a segment's.</summary>
    public static long? ParseBaseOffset(string fileName, string suffix)
    {
        if (!fileName.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }
        var stem = fileName[..^suffix.Length];
        return stem.Length == 20 && long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : null;
    }
}
