using FastLog.Broker;
using FastLog.Broker.Configuration;
using FastLog.Protocol.Messages;

namespace FastLog.Benchmarks.Support;

/// <summary>
/// A broker started in the benchmark's process on a scratch data dir with one topic of one partition, for the modes
/// that count what the broker allocates and spends (their raw-socket clients cost next to nothing).
/// </summary>
internal sealed class InProcessBroker : IAsyncDisposable
{
    private readonly BenchDirectory _directory;

    private InProcessBroker(BenchDirectory directory, KafkaBroker broker)
    {
        _directory = directory;
        Broker = broker;
    }

    public KafkaBroker Broker { get; }

    public System.Net.EndPoint EndPoint => Broker.BoundEndPoints[0].EndPoint;

    public static InProcessBroker Start(string name, string topic)
    {
        // As fastlog-server does at start: socket continuations run where they complete (the produce path's threads).
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        var directory = BenchDirectory.Create(name);
        var broker = KafkaBroker.Start(BrokerConfigLoader.FromProperties(new Dictionary<string, string>
        {
            ["listeners"] = "PLAINTEXT://127.0.0.1:0",
            ["log.dirs"] = directory.File("data"),
        }), _ => { });
        broker.Services.Topics.Create(topic, 1, 1, new Dictionary<string, string>(), validateOnly: false);
        return new InProcessBroker(directory, broker);
    }

    /// <summary>A whole request frame (size prefix, header v1, body), encoded once and sent as it is every time.</summary>
    public static byte[] Frame<TRequest>(TRequest request, short version, string clientId) where TRequest : IRequestMessage
    {
        var writer = new ProtocolWriter();
        writer.WriteInt32(0);
        writer.WriteInt16(TRequest.ApiKey);
        writer.WriteInt16(version);
        writer.WriteInt32(TRequest.ApiKey); // the correlation id: one request at a time per kind and connection, any value does
        writer.WriteNullableString(clientId, flexible: false);
        request.Write(writer, version);
        writer.PatchInt32(0, writer.BufferedCount - 4);
        var frame = writer.Buffered.ToArray();
        writer.Release();
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        _directory.Delete();
    }
}
