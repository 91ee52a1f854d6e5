using System.Buffers;
using System.IO.Compression;
using FastLog.Protocol.Records;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using ZstdSharp;

namespace FastLog.Protocol.Compression;

/// <summary>
/// The four codecs Kafka allows for the records section of a batch. The broker stores batches as producers
/// send them; it decompresses only to validate, dump or compact, so every decoder takes an output bound.
/// </summary>
public static class RecordCompression
{
    private const int StreamChunkBytes = 64 * 1024;

    /// <summary>LZ4 frame with independent 64 KiB blocks and no checksums, as Kafka's own LZ4 writer emits.</summary>
    private static readonly LZ4EncoderSettings Lz4Settings = new()
    {
        ChainBlocks = false,
        BlockSize = 64 * 1024,
        ContentChecksum = false,
        BlockChecksum = false,
        CompressionLevel = LZ4Level.L00_FAST,
    };

    public static void Compress(CompressionType type, ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        switch (type)
        {
            case CompressionType.None:
                destination.Write(source);
                break;
            case CompressionType.Gzip:
                CompressThroughStream(source, destination, static s => new GZipStream(s, CompressionLevel.Fastest, leaveOpen: true));
                break;
            case CompressionType.Snappy:
                XerialSnappy.Compress(source, destination);
                break;
            case CompressionType.Lz4:
                LZ4Frame.Encode(source, destination, Lz4Settings);
                break;
            case CompressionType.Zstd:
                using (var compressor = new Compressor(Compressor.DefaultCompressionLevel))
                {
                    var bound = Compressor.GetCompressBound(source.Length);
                    var written = compressor.Wrap(source, destination.GetSpan(bound));
                    destination.Advance(written);
                }
                break;
            default:
                throw new RecordFormatException($"unknown compression codec {(int)type}");
        }
    }

    /// <summary>
    /// Decompresses a records section. More than <paramref name="maxDecompressedBytes"/> of output is treated
    /// as malformed input, so a small hostile batch cannot make the broker allocate without bound.
    /// </summary>
    public static void Decompress(CompressionType type, ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes)
    {
        try
        {
            switch (type)
            {
                case CompressionType.None:
                    if (source.Length > maxDecompressedBytes)
                    {
                        throw TooLarge(maxDecompressedBytes);
                    }
                    destination.Write(source);
                    break;
                case CompressionType.Gzip:
                    DecompressThroughStream(source, destination, maxDecompressedBytes, static s => new GZipStream(s, CompressionMode.Decompress));
                    break;
                case CompressionType.Snappy:
                    XerialSnappy.Decompress(source, destination, maxDecompressedBytes);
                    break;
                case CompressionType.Lz4:
                    DecompressThroughStream(source, destination, maxDecompressedBytes, static s => LZ4Stream.Decode(s, 0, leaveOpen: false, interactive: false));
                    break;
                case CompressionType.Zstd:
                    DecompressThroughStream(source, destination, maxDecompressedBytes, static s => new DecompressionStream(s));
                    break;
                default:
                    throw new RecordFormatException($"unknown compression codec {(int)type}");
            }
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or ArgumentException or ZstdException or IOException or IndexOutOfRangeException)
        {
            throw new RecordFormatException($"{type} data is corrupt: {e.Message}");
        }
    }

    internal static RecordFormatException TooLarge(int maxDecompressedBytes) =>
        new($"decompressed records exceed {maxDecompressedBytes} bytes");

    private static unsafe void CompressThroughStream(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, Func<Stream, Stream> wrap)
    {
        using var output = new BufferWriterStream(destination);
        using (var encoder = wrap(output))
        {
            encoder.Write(source);
        }
    }

    private static unsafe void DecompressThroughStream(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedBytes, Func<Stream, Stream> wrap)
    {
        fixed (byte* pointer = source)
        {
            using var input = new UnmanagedMemoryStream(pointer, source.Length);
            using var decoder = wrap(input);
            var total = 0L;
            while (true)
            {
                var span = destination.GetSpan(StreamChunkBytes);
                var read = decoder.Read(span);
                if (read == 0)
                {
                    return;
                }
                total += read;
                if (total > maxDecompressedBytes)
                {
                    throw TooLarge(maxDecompressedBytes);
                }
                destination.Advance(read);
            }
        }
    }
}
