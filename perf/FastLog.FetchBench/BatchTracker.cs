using System.Buffers.Binary;

namespace FastLog.FetchBench;

/// <summary>
/// Follows the batch headers of a record set as its bytes stream past, without keeping the bytes: a fetch client
/// that only counts bytes still needs the offset after the last batch to ask for the next ones.
/// </summary>
internal sealed class BatchTracker
{
    private const int HeaderPrefixBytes = 27; // baseOffset(8) batchLength(4) leaderEpoch(4) magic(1) crc(4) attributes(2) lastOffsetDelta(4)
    private readonly byte[] _header = new byte[HeaderPrefixBytes];
    private int _headerFill;
    private long _consumed;
    private long _batchStart;

    /// <summary>The offset after the last batch whose header went past; -1 before the first.</summary>
    public long NextOffset { get; private set; } = -1;

    public void Reset()
    {
        _headerFill = 0;
        _consumed = 0;
        _batchStart = 0;
    }

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_consumed < _batchStart)
            {
                var skip = (int)Math.Min(bytes.Length, _batchStart - _consumed);
                bytes = bytes[skip..];
                _consumed += skip;
                continue;
            }
            var take = Math.Min(bytes.Length, HeaderPrefixBytes - _headerFill);
            bytes[..take].CopyTo(_header.AsSpan(_headerFill));
            bytes = bytes[take..];
            _consumed += take;
            _headerFill += take;
            if (_headerFill == HeaderPrefixBytes)
            {
                var baseOffset = BinaryPrimitives.ReadInt64BigEndian(_header);
                var batchLength = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(8));
                var lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(23));
                NextOffset = baseOffset + lastOffsetDelta + 1;
                _batchStart += 12 + (long)batchLength;
                _headerFill = 0;
            }
        }
    }
}
