using System.Buffers;
using System.Buffers.Binary;
using FastLog.Protocol.Records;
using Snappier;

namespace FastLog.Protocol.Compression;

/// <summary>
/// Snappy as Kafka clients use it. The Java client writes snappy-java's "xerial" framing (magic, version,
/// then length-prefixed raw blocks); librdkafka writes one raw block and reads both. We read both and write
/// the xerial framing, which every client reads.
/// </summary>
internal static class XerialSnappy
{
    private static ReadOnlySpan<byte> Magic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];
    private const int HeaderBytes = 16; // magic (8), version (4), compatible version (4)
    private const int BlockBytes = 32 * 1024; // snappy-java's default block size

    public static bool IsFramed(ReadOnlySpan<byte> source) =>
        source.Length >= HeaderBytes && source[..Magic.Length].SequenceEqual(Magic);

    public static void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var header = destination.GetSpan(HeaderBytes);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 1);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], 1);
        destination.Advance(HeaderBytes);

        while (!source.IsEmpty)
        {
            var block = source[..Math.Min(BlockBytes, source.Length)];
            source = source[block.Length..];
            var span = destination.GetSpan(4 + Snappy.GetMaxCompressedLength(block.Length));
            var written = Snappy.Compress(block, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, written);
            destination.Advance(4 + written);
        }
    }

    public static void Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        if (!IsFramed(source))
        {
            DecompressBlock(source, destination, ref maxDecompressedBytes);
            return;
        }

        source = source[HeaderBytes..];
        while (!source.IsEmpty)
        {
            if (source.Length < 4)
            {
                throw new RecordFormatException("snappy frame is truncated");
            }
            var length = BinaryPrimitives.ReadInt32BigEndian(source);
            if (length < 0 || length > source.Length - 4)
            {
                throw new RecordFormatException($"snappy block length {length} exceeds the {source.Length - 4} bytes left");
            }
            DecompressBlock(source.Slice(4, length), destination, ref maxDecompressedBytes);
            source = source[(4 + length)..];
        }
    }

    private static void DecompressBlock(ReadOnlySpan<byte> block, IBufferWriter<byte> destination, ref int budgetBytes)
    {
        var length = Snappy.GetUncompressedLength(block);
        if (length > budgetBytes)
        {
            throw RecordCompression.TooLarge(budgetBytes);
        }
        var written = Snappy.Decompress(block, destination.GetSpan(Math.Max(length, 1)));
        destination.Advance(written);
        budgetBytes -= written;
    }
}
