using FastLog.Broker.Network;
using FastLog.Storage;

namespace FastLog.Broker.Fetch;

/// <summary>The records of a fetch response as a region of a segment file, sent without a buffer of their own.</summary>
public sealed class FileRegionRecords(FileRegion region) : ISendableRecords
{
    public int Length => region.Length;

    public void CopyTo(Span<byte> destination) => region.CopyTo(destination);
}
