using FastLog.Protocol.Records;

namespace FastLog.Protocol.Tests;

public class VarintTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(63, new byte[] { 0x7E })]
    [InlineData(-64, new byte[] { 0x7F })]
    [InlineData(64, new byte[] { 0x80, 0x01 })]
    [InlineData(int.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void Zigzag_varint_matches_kafkas_encoding(int value, byte[] expected)
    {
        var buffer = new byte[5];

        var written = Varint.WriteZigZag(buffer, value);

        Assert.Equal(expected, buffer[..written]);
        Assert.True(Varint.TryReadZigZag(expected, out int read, out var length));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, length);
        Assert.Equal(expected.Length, Varint.SizeOfZigZag(value));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(1_700_000_000_000L)]
    public void Zigzag_varlong_round_trips(long value)
    {
        var buffer = new byte[10];

        var written = Varint.WriteZigZag(buffer, value);

        Assert.True(Varint.TryReadZigZag(buffer.AsSpan(0, written), out long read, out var length));
        Assert.Equal(value, read);
        Assert.Equal(written, length);
    }

    [Fact]
    public void A_varint_longer_than_five_bytes_or_cut_short_is_malformed()
    {
        Assert.False(Varint.TryReadZigZag(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, out int _, out _));
        Assert.False(Varint.TryReadZigZag(new byte[] { 0x80, 0x80 }, out int _, out _));
        Assert.False(Varint.TryReadZigZag(ReadOnlySpan<byte>.Empty, out int _, out _));
    }
}
