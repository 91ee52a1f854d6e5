using System.Globalization;
using System.Text;
using FastLog.Storage.Files;

namespace FastLog.Broker.Producers;

/// <summary>
/// Hands out producer ids that are never handed out twice, across restarts and kill -9 (Kafka's
/// ProducerIdManager). Ids are reserved in blocks: the end of the reserved range is written to a small file
/// in the first data dir, replaced atomically, before any id of the block is given away; a restart starts at
/// the next block, so ids of a block the broker died in are skipped, never reused. One durable write per
/// thousand ids keeps InitProducerId off the disk's latency. The file, rather than the metadata store, keeps
/// producer ids out of the topic metadata (and out of its rewrite on every topic change); a cluster will
/// reserve blocks through the metadata store, as Kafka's controller does.
/// </summary>
public sealed class ProducerIdManager
{
    public const string FileName = "fastlog-producer-ids";
    public const long BlockSize = 1000;
    private const string Version = "0";

    private readonly string _path;
    private readonly Lock _lock = new();
    private long _next;
    private long _reservedEnd;

    private ProducerIdManager(string path, long reservedEnd)
    {
        _path = path;
        _next = reservedEnd;
        _reservedEnd = reservedEnd;
    }

    /// <summary>Reads the reservation in <paramref name="dataDir"/>; nothing is reserved until the first id is asked for.</summary>
    public static ProducerIdManager Open(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path))
        {
            return new ProducerIdManager(path, 0);
        }
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0] != Version || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            throw new InvalidDataException($"producer id file {path} is malformed (expected \"{Version}\" and the end of the reserved ids)");
        }
        return new ProducerIdManager(path, end);
    }

    /// <summary>A producer id no one has had before.</summary>
    public long Generate()
    {
        lock (_lock)
        {
            if (_next == _reservedEnd)
            {
                Reserve(_reservedEnd + BlockSize);
            }
            return _next++;
        }
    }

    /// <summary>Whether <paramref name="producerId"/> may have been handed out by this broker (now or before a restart).</summary>
    public bool MayHaveIssued(long producerId)
    {
        lock (_lock)
        {
            return producerId >= 0 && producerId < _next;
        }
    }

    private void Reserve(long end)
    {
        var temp = _path + ".tmp";
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, Encoding.ASCII.GetBytes($"{Version}\n{end.ToString(CultureInfo.InvariantCulture)}\n"), 0);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(temp, _path, overwrite: true);
        LibC.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        _reservedEnd = end;
    }
}
