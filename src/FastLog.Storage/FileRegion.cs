using FastLog.Storage.Files;
using FastLog.Storage.Segments;

namespace FastLog.Storage;

/// <summary>
/// Bytes of one segment file, cut at batch boundaries: what a fetch sends straight from the file to the socket.
/// Empty when there is nothing to read at the requested offset.
/// </summary>
public readonly record struct FileRegion(LogSegment? Segment, long Position, int Length)
{
    public static FileRegion Empty => default;
    public bool IsEmpty => Length == 0;

    /// <summary>Copies the region out of the segment (tools, tests, and the copying fetch path).</summary>
    public int CopyTo(Span<byte> destination)
    {
        if (Segment is null || Length == 0)
        {
            return 0;
        }
        return Segment.CopyBytes(Position, destination[..Length]);
    }

    /// <summary>
    /// Pins the segment file for a send straight from it (sendfile): the region's bytes stay readable through the
    /// lease's handle and mapping while it is held, even if the file cache evicts the file or retention deletes the segment.
    /// </summary>
    public FileLease Lease() =>
        Segment?.LeaseLog() ?? throw new InvalidOperationException("an empty region has no file to lease");

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }
}
