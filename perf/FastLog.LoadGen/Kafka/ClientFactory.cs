using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>Builds the clients with the shared settings and the shared log routing.</summary>
internal static class ClientFactory
{
    public static IProducer<Null, byte[]> Producer(Options options, int index)
    {
        var config = ClientConfigs.Producer(options);
        config.ClientId = $"{ClientConfigs.ClientId}-{index}"; // tells the producers apart in broker logs
        return new ProducerBuilder<Null, byte[]>(config)
            .SetLogHandler((_, m) => ClientLog.OnLog(m))
            .SetErrorHandler((_, e) => ClientLog.OnError(e))
            .Build();
    }

    public static IConsumer<Ignore, byte[]> Consumer(Options options) =>
        new ConsumerBuilder<Ignore, byte[]>(ClientConfigs.Consumer(options))
            .SetLogHandler((_, m) => ClientLog.OnLog(m))
            .SetErrorHandler((_, e) => ClientLog.OnError(e))
            .Build();

    public static IAdminClient Admin(Options options) =>
        new AdminClientBuilder(ClientConfigs.Admin(options))
            .SetLogHandler((_, m) => ClientLog.OnLog(m))
            .SetErrorHandler((_, e) => ClientLog.OnError(e))
            .Build();
}
