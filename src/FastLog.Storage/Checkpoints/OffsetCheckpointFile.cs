using System.Globalization;
using System.Text;
using FastLog.Storage.Files;

namespace FastLog.Storage.Checkpoints;

/// <summary>
/// Kafka's offset checkpoint format ("0", the entry count, then "topic partition offset" lines), replaced
/// atomically: write a temp file, fsync it, rename over the old one, fsync the directory. A crash leaves
/// either the old or the new file, never a torn one.
/// </summary>
public sealed class OffsetCheckpointFile(string path)
{
    private const int Version = 0;

    public string Path { get; } = path;

    public void Write(IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        var text = new StringBuilder();
        text.Append(Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(offsets.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (partition, offset) in offsets.OrderBy(e => e.Key.Topic, StringComparer.Ordinal).ThenBy(e => e.Key.Partition))
        {
            text.Append(partition.Topic).Append(' ')
                .Append(partition.Partition.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(offset.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var temp = Path + ".tmp";
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, bytes, 0);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(temp, Path, overwrite: true);
        LibC.SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
    }

    /// <summary>Reads the checkpoint; a missing file is empty, a malformed one is an error naming the line.</summary>
    public Dictionary<TopicPartition, long> Read()
    {
        var result = new Dictionary<TopicPartition, long>();
        if (!File.Exists(Path))
        {
            return result;
        }
        var lines = File.ReadAllLines(Path);
        if (lines.Length < 2 || lines[0] != "0" || !int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || lines.Length < 2 + count)
        {
            throw new InvalidDataException($"checkpoint {Path} is malformed: bad version or entry count");
        }
        for (var i = 0; i < count; i++)
        {
            var parts = lines[2 + i].Split(' ');
            if (parts.Length != 3
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
            {
                throw new InvalidDataException($"checkpoint {Path} is malformed at line {i + 3}: '{lines[2 + i]}'");
            }
            result[new TopicPartition(parts[0], partition)] = offset;
        }
        return result;
    }
}
