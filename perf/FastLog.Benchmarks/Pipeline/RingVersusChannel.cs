using System.Diagnostics;
using System.Threading.Channels;
using FastLog.Broker.Pipeline;

namespace FastLog.Benchmarks.Pipeline;

/// <summary>
/// The same hand-off through our ring and through a bounded System.Threading.Channels channel: N producer
/// threads, one consumer thread, the same capacity, and the same waiting (spin, then yield) on both sides.
/// </summary>
public static class RingVersusChannel
{
    public const int Capacity = 1024;

    /// <summary>Transfers <paramref name="perProducer"/> items from each producer; returns hand-off latencies in ticks when asked.</summary>
    public static long[]? Ring(int producers, int perProducer, bool measureLatency)
    {
        var ring = new RingBuffer<HandoffSlot>(Capacity, () => new HandoffSlot(), new YieldingWaitStrategy());
        var latencies = measureLatency ? new long[producers * perProducer] : null;
        var processor = new BatchEventProcessor<HandoffSlot, LatencyHandler>(ring, new LatencyHandler(latencies));
        using var stop = new CancellationTokenSource();
        var consumer = new Thread(() => processor.Run(stop.Token));
        consumer.Start();
        RunProducers(producers, perProducer, value =>
        {
            long sequence;
            var spin = new SpinWait();
            while (!ring.TryNext(out sequence))
            {
                spin.SpinOnce();
            }
            var slot = ring[sequence];
            slot.Value = value;
            slot.PublishedTicks = Stopwatch.GetTimestamp();
            ring.Publish(sequence);
        });
        var total = (long)producers * perProducer;
        var wait = new SpinWait();
        while (processor.EntriesProcessed < total)
        {
            wait.SpinOnce();
        }
        stop.Cancel();
        consumer.Join();
        return latencies;
    }

    public static long[]? Channel(int producers, int perProducer, bool measureLatency)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<(long Value, long PublishedTicks)>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            SingleWriter = producers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var total = (long)producers * perProducer;
        var latencies = measureLatency ? new long[total] : null;
        var consumer = new Thread(() =>
        {
            long received = 0;
            var wait = new SpinWait();
            while (received < total)
            {
                if (channel.Reader.TryRead(out var item))
                {
                    if (latencies is not null)
                    {
                        latencies[received] = Stopwatch.GetTimestamp() - item.PublishedTicks;
                    }
                    received++;
                    wait.Reset();
                }
                else
                {
                    wait.SpinOnce();
                }
            }
        });
        consumer.Start();
        RunProducers(producers, perProducer, value =>
        {
            var spin = new SpinWait();
            while (!channel.Writer.TryWrite((value, Stopwatch.GetTimestamp())))
            {
                spin.SpinOnce();
            }
        });
        consumer.Join();
        return latencies;
    }

    private static void RunProducers(int producers, int perProducer, Action<long> publish)
    {
        var threads = new Thread[producers];
        for (var p = 0; p < producers; p++)
        {
            threads[p] = new Thread(() =>
            {
                for (long i = 0; i < perProducer; i++)
                {
                    publish(i);
                }
            });
            threads[p].Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    private readonly struct LatencyHandler(long[]? latencies) : IBatchHandler<HandoffSlot>
    {
        public void OnEvent(HandoffSlot entry, long sequence, bool endOfBatch)
        {
            if (latencies is not null)
            {
                latencies[sequence] = Stopwatch.GetTimestamp() - entry.PublishedTicks;
            }
        }
    }
}
