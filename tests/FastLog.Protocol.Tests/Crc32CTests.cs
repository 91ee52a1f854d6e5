namespace FastLog.Protocol.Tests;

public class Crc32CTests
{
    [Fact]
    public void Check_value_of_the_castagnoli_polynomial()
    {
        // The standard check value of CRC-32C over the ASCII digits 1..9.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Incremental_hash_equals_one_shot_hash()
    {
        var data = new byte[100_000];
        new Random(3).NextBytes(data);
        var incremental = Crc32C.CreateIncremental();

        incremental.Append(data.AsSpan(0, 12_345));
        incremental.Append(data.AsSpan(12_345));

        Assert.Equal(Crc32C.Compute(data), incremental.GetCurrentHashAsUInt32());
    }
}
