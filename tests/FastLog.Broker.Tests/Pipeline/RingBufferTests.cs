using FastLog.Broker.Pipeline;

namespace FastLog.Broker.Tests.Pipeline;

public sealed class RingBufferTests
{
    private sealed class Slot
    {
        public int Producer;
        public long Value;
    }

    /// <summary>Checks order per producer and counts; records the pass sizes.</summary>
    private readonly struct CheckingHandler(long[] lastByProducer, long[] counts, long[] outOfOrder) : IBatchHandler<Slot>
    {
        public void OnEvent(Slot entry, long sequence, bool endOfBatch)
        {
            if (entry.Value != lastByProducer[entry.Producer] + 1)
            {
                outOfOrder[0]++;
            }
            lastByProducer[entry.Producer] = entry.Value;
            counts[entry.Producer]++;
        }
    }

    public static TheoryData<string> Strategies() => ["busy-spin", "yielding", "blocking"];

    private static IWaitStrategy Strategy(string name) => name switch
    {
        "busy-spin" => new BusySpinWaitStrategy(),
        "yielding" => new YieldingWaitStrategy(),
        _ => new BlockingWaitStrategy(),
    };

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Many_producers_hand_every_entry_to_the_consumer_once_and_in_each_producers_order(string strategy)
    {
        const int producers = 4;
        const int perProducer = 200_000;
        var ring = new RingBuffer<Slot>(1024, () => new Slot(), Strategy(strategy));
        var last = Enumerable.Repeat(-1L, producers).ToArray();
        var counts = new long[producers];
        var outOfOrder = new long[1];
        var processor = new BatchEventProcessor<Slot, CheckingHandler>(ring, new CheckingHandler(last, counts, outOfOrder));
        using var stop = new CancellationTokenSource();
        var consumer = new Thread(() => processor.Run(stop.Token)) { IsBackground = true };
        consumer.Start();

        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            for (long i = 0; i < perProducer; i++)
            {
                long sequence;
                var spin = new SpinWait();
                while (!ring.TryNext(out sequence))
                {
                    spin.SpinOnce(); // full ring: back off, as a network loop stops reading
                }
                ring[sequence].Producer = p;
                ring[sequence].Value = i;
                ring.Publish(sequence);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (processor.EntriesProcessed < producers * perProducer && DateTime.UtcNow < deadline)
        {
            Thread.Yield();
        }
        stop.Cancel();
        ring.WaitStrategy.SignalAllWhenBlocking();
        consumer.Join();

        Assert.Equal(producers * (long)perProducer, processor.EntriesProcessed);
        Assert.Equal(0, outOfOrder[0]);
        Assert.All(counts, c => Assert.Equal(perProducer, c));
        Assert.All(last, l => Assert.Equal(perProducer - 1, l));
        Assert.True(processor.Passes < processor.EntriesProcessed, "every pass took one entry: no batching happened");
    }

    [Fact]
    public void A_full_ring_refuses_claims_until_the_consumer_moves()
    {
        var ring = new RingBuffer<Slot>(8, () => new Slot(), new BlockingWaitStrategy());
        for (var i = 0; i < 8; i++)
        {
            Assert.True(ring.TryNext(out var sequence));
            ring.Publish(sequence);
        }

        Assert.False(ring.TryNext(out _));
        Assert.Equal(8, ring.Occupancy);
        ring.Gating.Value = 3; // the consumer processed sequences 0..3
        Assert.True(ring.TryNext(out var next));
        Assert.Equal(8, next);
    }

    [Fact]
    public void Ring_size_must_be_a_power_of_two()
    {
        Assert.Throws<ArgumentException>(() => new RingBuffer<Slot>(1000, () => new Slot(), new BlockingWaitStrategy()));
    }

    /// <summary>Publishes two more entries while it handles the first of a pass of two, and records each end of a pass.</summary>
    private sealed class PublishingHandler(RingBuffer<Slot> ring, List<(long Sequence, bool End)> seen, CancellationTokenSource done) : IBatchHandler<Slot>
    {
        public void OnEvent(Slot entry, long sequence, bool endOfBatch)
        {
            seen.Add((sequence, endOfBatch));
            if (sequence == 0)
            {
                for (var i = 0; i < 2; i++)
                {
                    Assert.True(ring.TryNext(out var next));
                    ring.Publish(next);
                }
            }
            if (sequence == 3)
            {
                done.Cancel();
            }
        }
    }

    [Fact]
    public void Entries_published_while_a_pass_runs_join_it_before_it_ends()
    {
        var ring = new RingBuffer<Slot>(8, () => new Slot(), new BlockingWaitStrategy());
        var seen = new List<(long Sequence, bool End)>();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var processor = new BatchEventProcessor<Slot, PublishingHandler>(ring, new PublishingHandler(ring, seen, done));
        PublishTwo(ring);

        processor.Run(done.Token);

        Assert.Equal([(0L, false), (1L, false), (2L, false), (3L, true)], seen); // one pass of four, one end (one flush)
        Assert.Equal(1, processor.Passes);
    }

    [Fact]
    public void A_pass_never_takes_more_than_its_maximum_even_when_more_arrive()
    {
        var ring = new RingBuffer<Slot>(8, () => new Slot(), new BlockingWaitStrategy());
        var seen = new List<(long Sequence, bool End)>();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var processor = new BatchEventProcessor<Slot, PublishingHandler>(ring, new PublishingHandler(ring, seen, done), maxBatchEntries: 2);
        PublishTwo(ring);

        processor.Run(done.Token);

        Assert.Equal([(0L, false), (1L, true), (2L, false), (3L, true)], seen);
        Assert.Equal(2, processor.Passes);
    }

    private static void PublishTwo(RingBuffer<Slot> ring)
    {
        for (var i = 0; i < 2; i++)
        {
            Assert.True(ring.TryNext(out var sequence));
            ring.Publish(sequence);
        }
    }
}
