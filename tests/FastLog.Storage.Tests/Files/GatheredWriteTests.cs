using FastLog.Storage.Files;

namespace FastLog.Storage.Tests.Files;

public sealed class GatheredWriteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2500)] // more than one pwritev may take (IOV_MAX 1024): three calls
    public void Every_buffer_lands_back_to_back_from_the_offset(int buffers)
    {
        var random = new Random(buffers);
        var parts = Enumerable.Range(0, buffers).Select(i => Slice(random, i)).ToList();
        var expected = parts.SelectMany(p => p.ToArray()).ToArray();
        var path = Path.Combine(_dir.Path, "gathered");
        const long offset = 4096 + 17;

        using (var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
        {
            GatheredWrite.Write(file, parts, offset);
        }

        var written = File.ReadAllBytes(path);
        Assert.Equal(offset + expected.Length, written.Length);
        Assert.All(written.Take((int)offset), b => Assert.Equal(0, b));
        Assert.Equal(expected, written.Skip((int)offset));
    }

    [Fact]
    public void A_handle_open_only_for_reading_fails_with_an_io_exception()
    {
        var path = Path.Combine(_dir.Path, "read-only");
        File.WriteAllBytes(path, new byte[16]);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);

        var failure = Assert.Throws<IOException>(() => GatheredWrite.Write(file, [new byte[8], new byte[8]], 0));

        Assert.Contains("pwritev", failure.Message);
    }

    /// <summary>A slice at an odd place inside a larger array (as batches sit inside request buffers), empty now and then.</summary>
    private static ReadOnlyMemory<byte> Slice(Random random, int index)
    {
        var length = index % 11 == 5 ? 0 : random.Next(1, 3000);
        var array = new byte[length + 40];
        random.NextBytes(array);
        return array.AsMemory(13, length);
    }
}
