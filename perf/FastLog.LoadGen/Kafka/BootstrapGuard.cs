namespace FastLog.LoadGen.Kafka;

/// <summary>
/// Runs before any librdkafka client is made: refuses to go on if any broker of the cluster advertises an address
/// other than --bootstrap. The clients send their produce and fetch requests to the advertised addresses, so this
/// check is what keeps every request on the one broker the tool was pointed at.
/// </summary>
internal static class BootstrapGuard
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static void Check(BootstrapAddress bootstrap)
    {
        var brokers = MetadataProbe.AdvertisedBrokers(bootstrap, Timeout);
        if (brokers.Count == 0)
        {
            throw new SetupException($"the broker at {bootstrap} listed no brokers in its metadata");
        }
        var foreign = brokers.Where(b => !bootstrap.SameEndpoint(b.Host, b.Port)).ToList();
        if (foreign.Count > 0)
        {
            var list = string.Join(", ", foreign.Select(b => $"broker {b.NodeId} at {b.Host}:{b.Port}"));
            throw new SetupException(
                $"the cluster at {bootstrap} advertises {list}; this tool only talks to the --bootstrap address, so point it at a single broker that advertises the address it is reached at");
        }
    }
}
