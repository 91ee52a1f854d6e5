using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

// Measures the group coordinator through a real client (librdkafka via Confluent.Kafka):
//   rebalance: a group of N members on P partitions; each round one member leaves and a new one joins, and the
//              time until every member holds partitions again is recorded (median and p99 over R rounds).
//   commit:    synchronous OffsetCommit round trips per second, for one partition and for all P.
// Usage: dotnet run -c Release --project perf/FastLog.GroupBench -- [--bootstrap 127.0.0.1:9092] [--members 10]
//        [--partitions 100] [--rounds 20] [--commit-seconds 10]
var options = ParseOptions(args);
var topic = $"groupbench-{Guid.NewGuid():N}"[..24];
using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = options.Bootstrap }).Build())
{
    await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = options.Partitions, ReplicationFactor = 1 }]);
}

var group = $"groupbench-{Guid.NewGuid():N}";
var members = new List<IConsumer<byte[], byte[]>>();
var clock = Stopwatch.StartNew();
for (var i = 0; i < options.Members; i++)
{
    var member = NewMember(options.Bootstrap, group);
    member.Subscribe(topic);
    members.Add(member);
}
var firstJoin = WaitForBalance(members, options.Partitions, TimeSpan.FromSeconds(120));
Console.WriteLine($"first join of {options.Members} members on {options.Partitions} partitions: {firstJoin.TotalMilliseconds:F0} ms");

var rounds = new List<double>();
for (var round = 0; round < options.Rounds; round++)
{
    var leaving = members[round % members.Count];
    var started = Stopwatch.StartNew();
    leaving.Close();
    leaving.Dispose();
    var joining = NewMember(options.Bootstrap, group);
    joining.Subscribe(topic);
    members[round % members.Count] = joining;
    WaitForBalance(members, options.Partitions, TimeSpan.FromSeconds(120));
    rounds.Add(started.Elapsed.TotalMilliseconds);
    Console.WriteLine($"rebalance {round + 1}/{options.Rounds}: {rounds[^1]:F0} ms");
}
rounds.Sort();
Console.WriteLine($"rebalance (one member leaves, one joins), {rounds.Count} rounds: median {Percentile(rounds, 50):F0} ms, p99 {Percentile(rounds, 99):F0} ms, max {rounds[^1]:F0} ms");

foreach (var member in members)
{
    member.Close();
    member.Dispose();
}

using var committer = NewMember(options.Bootstrap, $"{group}-commits");
var all = Enumerable.Range(0, options.Partitions).Select(p => new TopicPartitionOffset(topic, p, 1)).ToList();
foreach (var (label, offsets) in new[] { ("1 partition", all.Take(1).ToList()), ($"{options.Partitions} partitions", all) })
{
    var commits = 0;
    var window = Stopwatch.StartNew();
    while (window.Elapsed.TotalSeconds < options.CommitSeconds)
    {
        committer.Commit(offsets);
        commits++;
    }
    Console.WriteLine($"OffsetCommit, {label} per commit: {commits / window.Elapsed.TotalSeconds:F0} commits/s ({commits * offsets.Count / window.Elapsed.TotalSeconds:F0} partition offsets/s)");
}
return 0;

static IConsumer<byte[], byte[]> NewMember(string bootstrap, string group) =>
    new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 200,
        EnableAutoCommit = false,
    }).Build();

// Every member polls until all of them hold at least one partition and together they hold all of them.
static TimeSpan WaitForBalance(List<IConsumer<byte[], byte[]>> members, int partitions, TimeSpan timeout)
{
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < timeout)
    {
        foreach (var member in members)
        {
            member.Consume(TimeSpan.FromMilliseconds(1));
        }
        if (members.All(m => m.Assignment.Count > 0) && members.Sum(m => m.Assignment.Count) == partitions)
        {
            return clock.Elapsed;
        }
    }
    throw new TimeoutException($"the group did not settle within {timeout}");
}

static double Percentile(List<double> sorted, double percentile) =>
    sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

static (string Bootstrap, int Members, int Partitions, int Rounds, int CommitSeconds) ParseOptions(string[] args)
{
    var values = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--bootstrap"] = "127.0.0.1:9092",
        ["--members"] = "10",
        ["--partitions"] = "100",
        ["--rounds"] = "20",
        ["--commit-seconds"] = "10",
    };
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!values.ContainsKey(args[i]))
        {
            throw new ArgumentException($"unknown option {args[i]}");
        }
        values[args[i]] = args[i + 1];
    }
    int Number(string key) => int.Parse(values[key], CultureInfo.InvariantCulture);
    return (values["--bootstrap"], Number("--members"), Number("--partitions"), Number("--rounds"), Number("--commit-seconds"));
}
