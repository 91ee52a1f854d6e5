using FastLog.Broker.Network;
using FastLog.Storage;
using FastLog.Storage.Files;

namespace FastLog.Broker.Fetch;

/// <summary>
/// The records of a fetch response as a region of a segment file, sent without a buffer of their own. Only
/// regions that LogSegment.Read returned are wrapped, and it verifies (lazily, CRC-32C) before it returns one,
/// so a corrupt batch never reaches a socket on either send path. A pooled fetch keeps one per partition and
/// points it at each response's region: the response's bytes are sent before the fetch is reused.
/// </summary>
public sealed class FileRegionRecords : ISendableRecords
{
    public FileRegionRecords()
    {
    }

    public FileRegionRecords(FileRegion region) => Region = region;

    public FileRegion Region { get; set; }

    public int Length => Region.Length;

    public FileLease Pin(out long position)
    {
        var region = Region;
        position = region.Position;
        var lease = region.Lease();
        var end = position + region.Length;
        if (end > lease.MappedLength)
        {
            lease.Dispose();
            throw new IOException($"the segment file is {lease.MappedLength} bytes, shorter than the region [{position}, {end}) to send");
        }
        return lease;
    }
}
