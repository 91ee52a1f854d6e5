using System.Text;
using FastLog.Storage.Cleaner;

namespace FastLog.Storage.Tests.Cleaner;

public sealed class OffsetMapTests
{
    private static byte[] Key(int i) => Encoding.UTF8.GetBytes($"key-{i}");

    [Fact]
    public void A_key_maps_to_the_latest_offset_put_and_unknown_keys_to_minus_one()
    {
        var map = new OffsetMap(24 * 1000);

        for (var offset = 0; offset < 300; offset++)
        {
            map.Put(Key(offset % 100), offset);
        }

        Assert.Equal(100, map.Count);
        Assert.Equal(299, map.LatestOffset);
        Assert.Equal(205, map.Get(Key(5)));
        Assert.Equal(200, map.Get(Key(0)));
        Assert.Equal(-1, map.Get(Key(100)));
    }

    [Fact]
    public void The_map_holds_its_budget_in_24_byte_slots_and_is_full_at_90_percent()
    {
        var map = new OffsetMap(24 * 100);

        for (var i = 0; i < 90; i++)
        {
            map.Put(Key(i), i);
        }

        Assert.Equal(24 * 100, map.MemoryBytes);
        Assert.Equal(90, map.MaxEntries);
        Assert.True(map.IsFull);
        Assert.Throws<InvalidOperationException>(() => map.Put(Key(1000), 1000));
    }

    [Fact]
    public void Clear_forgets_every_key_and_offset_zero_is_a_real_offset()
    {
        var map = new OffsetMap(24 * 100);
        map.Put(Key(1), 0);
        Assert.Equal(0, map.Get(Key(1)));

        map.Clear();

        Assert.Equal(0, map.Count);
        Assert.Equal(-1, map.Get(Key(1)));
        Assert.Equal(-1, map.LatestOffset);
    }

    [Fact]
    public void Cleared_for_a_few_keys_the_map_takes_at_least_those_and_never_more_than_its_budget()
    {
        var map = new OffsetMap(24 * 1000);

        map.Clear(expectedKeys: 10);
        for (var i = 0; i < 10; i++)
        {
            map.Put(Key(i), i);
        }
        var small = map.MaxEntries;
        map.Clear(expectedKeys: 1_000_000);

        Assert.InRange(small, 10, 20);
        Assert.Equal(900, map.MaxEntries);
        Assert.Equal(-1, map.Get(Key(3)));
    }
}
