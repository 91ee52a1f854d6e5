using System.Buffers;
using System.Buffers.Binary;
using FastLog.Protocol.Compression;
using FastLog.Protocol.Records;

namespace FastLog.Protocol.Tests;

public class CompressionTests
{
    [Fact]
    public void Snappy_reads_both_the_raw_block_and_the_xerial_framing()
    {
        var (raw, _) = KafkajsFixtureTests.Load("snappy");
        var (framed, _) = KafkajsFixtureTests.Load("snappy-xerial");

        Assert.Equal(RecordBatchReader.RecordsSection(raw).ToArray(), RecordBatchReader.RecordsSection(framed).ToArray());
    }

    [Fact]
    public void Our_snappy_writer_uses_the_xerial_framing_that_java_clients_write()
    {
        var output = new ArrayBufferWriter<byte>();

        RecordCompression.Compress(CompressionType.Snappy, new byte[100_000], output);

        Assert.Equal(0x82, output.WrittenSpan[0]);
        Assert.Equal("SNAPPY"u8.ToArray(), output.WrittenSpan[1..7].ToArray());
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void A_small_batch_that_inflates_past_the_limit_is_refused(CompressionType codec)
    {
        var compressed = new ArrayBufferWriter<byte>();
        RecordCompression.Compress(codec, new byte[4 * 1024 * 1024], compressed);

        var error = Assert.Throws<RecordFormatException>(() =>
            RecordCompression.Decompress(codec, compressed.WrittenSpan, new ArrayBufferWriter<byte>(), maxDecompressedBytes: 1024 * 1024));

        Assert.Contains("exceed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Garbage_in_a_compressed_section_is_a_format_error(CompressionType codec)
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var garbage = new byte[random.Next(1, 200)];
            random.NextBytes(garbage);
            try
            {
                RecordCompression.Decompress(codec, garbage, new ArrayBufferWriter<byte>(), 1024 * 1024);
            }
            catch (RecordFormatException)
            {
                // the only acceptable failure
            }
        }
    }

    [Fact]
    public void A_xerial_block_length_past_the_end_is_a_format_error()
    {
        var output = new ArrayBufferWriter<byte>();
        RecordCompression.Compress(CompressionType.Snappy, new byte[1000], output);
        var framed = output.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(16), 1_000_000);

        Assert.Throws<RecordFormatException>(() =>
            RecordCompression.Decompress(CompressionType.Snappy, framed, new ArrayBufferWriter<byte>(), 1024 * 1024));
    }
}
