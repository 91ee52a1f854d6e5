using FastLog.Benchmarks.Support;
using FastLog.Protocol.Messages;
using FastLog.Storage;
using FastLog.TestSupport;
using System.Net;
using System.Net.Sockets;

namespace FastLog.FetchBench;

/// <summary>
/// The partition under test: the broker creates the topic (so its metadata knows it), stops, and the log is then
/// written directly with the storage API, in 1 MiB batches of valid RecordBatch v2, and closed cleanly.
/// </summary>
internal static class PartitionBuilder
{
    public const string Topic = "fetchbench";
    public const int BatchBytes = 1024 * 1024;

    /// <summary>Overrides every broker of the benchmark runs with: one partition for __consumer_offsets keeps start-up short.</summary>
    public static readonly string[] BrokerOverrides = ["offsets.topic.num.partitions=1"];

    /// <summary>Builds the data dir (or reuses one built for the same size) and returns its segment file.</summary>
    public static async Task<string> BuildAsync(string dataDir, long sizeBytes, bool rebuild)
    {
        var partitionDir = Path.Combine(dataDir, $"{Topic}-0");
        var segmentFile = Path.Combine(partitionDir, $"{0:D20}.log");
        var marker = Path.Combine(dataDir, $"fetchbench-{sizeBytes}.built");
        if (!rebuild && File.Exists(marker) && File.Exists(segmentFile) && new FileInfo(segmentFile).Length == sizeBytes)
        {
            Console.WriteLine($"reusing the {sizeBytes >> 20} MiB partition in {dataDir}");
            return segmentFile;
        }
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
        await using (var broker = await BrokerProcess.StartAsync(dataDir, BrokerOverrides))
        {
            CreateTopic(broker.Port);
            if (await broker.StopAsync() != 0)
            {
                throw new InvalidOperationException($"the broker did not stop cleanly:\n{broker.Output}");
            }
        }
        Directory.Delete(partitionDir, recursive: true);

        var batch = BatchFactory.Build(BatchBytes, recordBytes: 1024);
        using (var logs = LogManager.Open(new LogManagerOptions
        {
            DataDirs = [dataDir],
            // One segment holds the whole partition (1 GiB is Kafka's default segment.bytes); no preallocation work.
            ConfigFor = _ => new LogConfig { SegmentBytes = (int)Math.Min(int.MaxValue, Math.Max(sizeBytes, BatchBytes)), Preallocation = SegmentPreallocation.None },
        }))
        {
            var log = logs.GetOrCreate(new TopicPartition(Topic, 0));
            for (long written = 0; written < sizeBytes; written += batch.Length)
            {
                log.Append(batch);
            }
            logs.Close();
        }
        File.WriteAllText(marker, DateTime.UtcNow.ToString("O"));
        Console.WriteLine($"built a {sizeBytes >> 20} MiB partition of {BatchBytes >> 20} MiB batches in {dataDir}");
        return segmentFile;
    }

    private static void CreateTopic(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var request = new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }],
        };
        KafkaFrames.Send(socket, request, version: 2, correlationId: 1);
        var frame = KafkaFrames.Receive(socket);
        var reader = new ProtocolReader(frame.AsMemory(4));
        var response = new CreateTopicsResponse();
        response.Read(ref reader, 2);
        var error = response.Topics.Single().ErrorCode;
        if (error != 0)
        {
            throw new InvalidOperationException($"CreateTopics {Topic} failed with error {error}");
        }
    }
}
