using System.Collections.Concurrent;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>subscribe() with Confluent.Kafka and kcat -G: groups share partitions, survive members and restarts.</summary>
public sealed class ConsumerGroupTests
{
    private static readonly string[] FastGroups = ["group.initial.rebalance.delay.ms=0"];

    private static IConsumer<string, string> Member(BrokerProcess broker, string group, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            EnableAutoCommit = false,
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<string, string>(config).Build();
    }

    private static async Task ProduceAsync(BrokerProcess broker, string topic, int count, int start = 0)
    {
        using var producer = Clients.Producer<string, string>(broker);
        for (var i = start; i < start + count; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        await Task.CompletedTask;
    }

    /// <summary>Polls every consumer until the condition holds or the deadline passes (no sleeping).</summary>
    private static void PollUntil(IEnumerable<IConsumer<string, string>> consumers, Func<bool> done, TimeSpan timeout, Action<IConsumer<string, string>, ConsumeResult<string, string>>? onMessage = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var list = consumers.ToList();
        while (!done() && DateTime.UtcNow < deadline)
        {
            foreach (var consumer in list)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (result is not null && !result.IsPartitionEOF)
                {
                    onMessage?.Invoke(consumer, result);
                }
            }
        }
    }

    [Fact]
    public async Task Eleven_consumers_on_ten_partitions_leave_exactly_one_idle()
    {
        await using var broker = await BrokerProcess.StartAsync(null, FastGroups);
        var topic = TestTopics.Unique("eleven");
        await Clients.CreateTopicAsync(broker, topic, partitions: 10);
        var group = TestTopics.Unique("g");
        var consumers = Enumerable.Range(0, 11).Select(_ => Member(broker, group)).ToList();
        try
        {
            consumers.ForEach(c => c.Subscribe(topic));

            PollUntil(consumers, () => consumers.Sum(c => c.Assignment.Count) == 10 && consumers.Count(c => c.Assignment.Count == 1) == 10, TimeSpan.FromSeconds(60));

            Assert.Equal(10, consumers.Count(c => c.Assignment.Count == 1));
            Assert.Equal(1, consumers.Count(c => c.Assignment.Count == 0));
            Assert.Equal(10, consumers.SelectMany(c => c.Assignment).Select(tp => tp.Partition.Value).Distinct().Count());
        }
        finally
        {
            consumers.ForEach(c => { c.Close(); c.Dispose(); });
        }
    }

    [Fact]
    public async Task Two_groups_each_receive_every_message()
    {
        await using var broker = await BrokerProcess.StartAsync(null, FastGroups);
        var topic = TestTopics.Unique("two");
        await Clients.CreateTopicAsync(broker, topic, partitions: 3);
        await ProduceAsync(broker, topic, 300);
        using var first = Member(broker, TestTopics.Unique("a"));
        using var second = Member(broker, TestTopics.Unique("b"));
        var seen = new ConcurrentDictionary<IConsumer<string, string>, HashSet<string>>();
        first.Subscribe(topic);
        second.Subscribe(topic);

        PollUntil([first, second], () => seen.Values.Count(v => v.Count == 300) == 2, TimeSpan.FromSeconds(60),
            (consumer, result) => seen.GetOrAdd(consumer, _ => []).Add(result.Message.Value));

        Assert.Equal(300, seen[first].Count);
        Assert.Equal(300, seen[second].Count);
        first.Close();
        second.Close();
    }

    [Fact]
    public async Task A_group_resumes_after_its_committed_offset_when_the_broker_restarts()
    {
        var topic = TestTopics.Unique("resume");
        var group = TestTopics.Unique("g");
        var first = await BrokerProcess.StartAsync(null, FastGroups);
        await Clients.CreateTopicAsync(first, topic, partitions: 2);
        await ProduceAsync(first, topic, 100);
        using (var consumer = Member(first, group))
        {
            consumer.Subscribe(topic);
            var consumed = 0;
            PollUntil([consumer], () => consumed >= 100, TimeSpan.FromSeconds(60), (c, r) => { consumed++; c.Commit(r); });
            Assert.Equal(100, consumed);
            consumer.Close();
        }
        Assert.True(await first.StopAsync() == 0, first.Output);

        await using var second = await BrokerProcess.StartAsync(first.DataDir, FastGroups);
        await ProduceAsync(second, topic, 50, start: 100);
        using var resumed = Member(second, group);
        resumed.Subscribe(topic);
        var values = new List<string>();
        PollUntil([resumed], () => values.Count >= 50, TimeSpan.FromSeconds(60), (_, r) => values.Add(r.Message.Value));

        Assert.Equal(Enumerable.Range(100, 50).Select(i => $"v{i}").Order(), values.Order());
        resumed.Close();
        second.DeleteData();
    }

    [Fact]
    public async Task Partitions_of_a_killed_member_move_and_nothing_past_the_last_commit_is_lost_or_repeated()
    {
        await using var broker = await BrokerProcess.StartAsync(null, FastGroups);
        var topic = TestTopics.Unique("kill");
        var group = TestTopics.Unique("g");
        await Clients.CreateTopicAsync(broker, topic, partitions: 4);
        await ProduceAsync(broker, topic, 400);

        // kcat is a real process in the group; it is killed with SIGKILL while it holds partitions.
        var kcat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kcat",
            ["-b", broker.BootstrapServers, "-G", group, "-X", "session.timeout.ms=6000", "-X", "enable.auto.commit=false", "-q", "-o", "end", topic])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var survivor = Member(broker, group);
        survivor.Subscribe(topic);
        PollUntil([survivor], () => survivor.Assignment.Count is > 0 and < 4, TimeSpan.FromSeconds(60));
        var before = survivor.Assignment.Count;
        kcat.Kill(entireProcessTree: true);
        kcat.WaitForExit();
        kcat.Dispose();

        var values = new HashSet<string>();
        var committedUpTo = new Dictionary<int, long>();
        var repeatedBelowCommit = 0;
        PollUntil([survivor], () => survivor.Assignment.Count == 4 && values.Count == 400, TimeSpan.FromSeconds(60), (c, r) =>
        {
            // A message may come again only if its offset was never committed (the rebalance moved it first).
            if (!values.Add(r.Message.Value) && r.Offset.Value < committedUpTo.GetValueOrDefault(r.Partition.Value))
            {
                repeatedBelowCommit++;
            }
            try
            {
                c.Commit(r);
                committedUpTo[r.Partition.Value] = r.Offset.Value + 1;
            }
            catch (KafkaException)
            {
                // A commit refused during a rebalance (REBALANCE_IN_PROGRESS): that offset may be read again.
            }
        });

        Assert.InRange(before, 1, 3);
        Assert.Equal(4, survivor.Assignment.Count); // taken over within session.timeout.ms
        Assert.Equal(400, values.Count); // nothing lost
        Assert.Equal(0, repeatedBelowCommit); // nothing read twice past the last commit
        survivor.Close();
    }

    [Fact]
    public async Task Cooperative_sticky_keeps_unaffected_assignments_when_a_member_joins()
    {
        await using var broker = await BrokerProcess.StartAsync(null, FastGroups);
        var topic = TestTopics.Unique("coop");
        var group = TestTopics.Unique("g");
        await Clients.CreateTopicAsync(broker, topic, partitions: 6);
        void Cooperative(ConsumerConfig c) => c.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        using var first = Member(broker, group, Cooperative);
        first.Subscribe(topic);
        PollUntil([first], () => first.Assignment.Count == 6, TimeSpan.FromSeconds(60));
        var original = first.Assignment.ToList();

        using var second = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = group,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        }).Build();
        second.Subscribe(topic);
        PollUntil([first, second], () => first.Assignment.Count == 3 && second.Assignment.Count == 3, TimeSpan.FromSeconds(60));

        Assert.Equal(3, first.Assignment.Count);
        Assert.Equal(3, second.Assignment.Count);
        Assert.All(first.Assignment, tp => Assert.Contains(tp, original)); // the first member kept half of what it had
        Assert.Empty(first.Assignment.Intersect(second.Assignment));
        first.Close();
        second.Close();
    }

    [Fact]
    public async Task A_static_member_that_restarts_within_its_session_causes_no_rebalance()
    {
        await using var broker = await BrokerProcess.StartAsync(null, FastGroups);
        var topic = TestTopics.Unique("static");
        var group = TestTopics.Unique("g");
        await Clients.CreateTopicAsync(broker, topic, partitions: 4);
        ConsumerConfig Static(string id) => new()
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = group,
            GroupInstanceId = id,
            SessionTimeoutMs = 30_000,
            HeartbeatIntervalMs = 500,
            EnableAutoCommit = false,
        };
        var revocations = 0;
        // Every rebalance of the eager protocol revokes all of a member's partitions: none may happen here.
        using var stays = new ConsumerBuilder<string, string>(Static("stays"))
            .SetPartitionsRevokedHandler((_, _) => Interlocked.Increment(ref revocations))
            .Build();
        var restarts = new ConsumerBuilder<string, string>(Static("restarts")).Build();
        stays.Subscribe(topic);
        restarts.Subscribe(topic);
        PollUntil([stays, restarts], () => stays.Assignment.Count == 2 && restarts.Assignment.Count == 2, TimeSpan.FromSeconds(60));
        var kept = stays.Assignment.ToList();
        var revocationsBefore = Volatile.Read(ref revocations);

        restarts.Dispose(); // a static member leaves no LeaveGroup behind: only its session would expire
        using var again = new ConsumerBuilder<string, string>(Static("restarts")).Build();
        again.Subscribe(topic);
        PollUntil([stays, again], () => again.Assignment.Count == 2, TimeSpan.FromSeconds(60));
        PollUntil([stays, again], () => Volatile.Read(ref revocations) > revocationsBefore, TimeSpan.FromSeconds(3));

        Assert.Equal(kept, stays.Assignment);
        Assert.Equal(2, again.Assignment.Count);
        Assert.Equal(revocationsBefore, Volatile.Read(ref revocations));
        stays.Close();
        again.Close();
    }

    [Fact]
    public async Task Committed_offsets_survive_a_kill_9_of_the_broker()
    {
        var topic = TestTopics.Unique("kill9");
        var group = TestTopics.Unique("g");
        var first = await BrokerProcess.StartAsync(null, FastGroups);
        await Clients.CreateTopicAsync(first, topic, partitions: 1);
        await ProduceAsync(first, topic, 20);
        using (var consumer = Member(first, group))
        {
            consumer.Subscribe(topic);
            var consumed = 0;
            PollUntil([consumer], () => consumed == 12, TimeSpan.FromSeconds(60), (c, r) =>
            {
                consumed++;
                if (consumed == 12)
                {
                    c.Commit(r); // acknowledged: offset 12 is durable in __consumer_offsets
                }
            });
        }
        await first.KillAsync();

        await using var second = await BrokerProcess.StartAsync(first.DataDir, FastGroups);
        using var resumed = Member(second, group);
        var committed = resumed.Committed([new TopicPartition(topic, 0)], TimeSpan.FromSeconds(30));

        Assert.Equal(12, committed.Single().Offset.Value);
        second.DeleteData();
    }
}
