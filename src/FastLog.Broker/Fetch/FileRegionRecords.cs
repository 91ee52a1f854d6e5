using FastLog.Broker.Network;
using FastLog.Storage;
using FastLog.Storage.Files;

namespace FastLog.Broker.Fetch;

/// <summary>
/// The records of a fetch response as a region of a segment file, sent without a buffer of their own. Only
/// regions that LogSegment.Read returned are wrapped, and it verifies (lazily, CRC-32C) before it returns one,
/// so a corrupt batch never reaches a socket on either send path.
/// </summary>
public sealed class FileRegionRecords(FileRegion region) : ISendableRecords
{
    public int Length => region.Length;

    public FileLease Pin(out long position)
    {
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
