namespace FastLog.Storage.Verification;

/// <summary>Where each batch of a segment starts and its base offset, both ascending, for checking index entries.</summary>
internal sealed class SegmentBatchList
{
    private readonly List<long> _positions = [];
    private readonly List<long> _baseOffsets = [];

    public void Add(long position, long baseOffset)
    {
        _positions.Add(position);
        _baseOffsets.Add(baseOffset);
    }

    /// <summary>The base offset of the batch that starts exactly at <paramref name="position"/>.</summary>
    public bool TryFindAt(long position, out long baseOffset)
    {
        var slot = _positions.BinarySearch(position);
        baseOffset = slot >= 0 ? _baseOffsets[slot] : -1;
        return slot >= 0;
    }

    public bool IsBaseOffset(long offset) => _baseOffsets.BinarySearch(offset) >= 0;
}
