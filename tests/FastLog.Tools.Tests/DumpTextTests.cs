using System.Text;
using FastLog.Tools.Dump;

namespace FastLog.Tools.Tests;

public sealed class DumpTextTests
{
    [Fact]
    public void Null_and_empty_bytes_are_told_apart()
    {
        Assert.Equal("null", DumpText.Bytes(null));
        Assert.Equal("\"\"", DumpText.Bytes([]));
    }

    [Fact]
    public void Printable_text_is_shown_as_is_and_cut_at_64_characters()
    {
        Assert.Equal("héllo wörld", DumpText.Bytes(Encoding.UTF8.GetBytes("héllo wörld")));

        var shown = DumpText.Bytes(Encoding.UTF8.GetBytes(new string('x', 1000)));
        Assert.Equal(new string('x', 64) + "...", shown);
    }

    [Fact]
    public void Binary_bytes_are_shown_as_hex_and_cut_at_64_digits()
    {
        Assert.Equal("0x00ff0a", DumpText.Bytes([0x00, 0xff, 0x0a]));

        var shown = DumpText.Bytes(Enumerable.Repeat((byte)0x01, 100).ToArray());
        Assert.Equal("0x" + string.Concat(Enumerable.Repeat("01", 32)) + "...", shown);
    }
}
