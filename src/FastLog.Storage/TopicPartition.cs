using System.Globalization;

namespace FastLog.Storage;

/// <summary>A partition of a topic; its folder in a data dir is "&lt;topic&gt;-&lt;partition&gt;".</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public string DirectoryName => $"{Topic}-{Partition.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => DirectoryName;

    /// <summary>Parses a partition folder name; topic names may contain '-', so the last one separates.</summary>
    public static bool TryParseDirectoryName(string name, out TopicPartition partition)
    {
        partition = default;
        var dash = name.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        partition = new TopicPartition(name[..dash], number);
        return true;
    }
}
