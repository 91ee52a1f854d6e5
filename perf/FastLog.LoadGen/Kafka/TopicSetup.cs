using System.Security.Cryptography;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace FastLog.LoadGen.Kafka;

/// <summary>Finds the --topic, or creates the fresh one and waits until every partition has a leader.</summary>
internal static class TopicSetup
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static TopicInfo Prepare(IAdminClient admin, Options options)
    {
        if (options.Topic is { } name)
        {
            Metadata cluster;
            try
            {
                cluster = admin.GetMetadata(Timeout);
            }
            catch (KafkaException e)
            {
                throw new SetupException($"could not list the topics at {options.Bootstrap}: {e.Error.Reason}");
            }
            // The cluster-wide listing, not a per-topic request: asking for one topic by name may make a broker
            // auto-create it, which would hide the typo this check is for.
            var existing = cluster.Topics.FirstOrDefault(t => t.Topic == name);
            if (existing is null || existing.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                throw new SetupException($"topic '{name}' does not exist at {options.Bootstrap}; leave out --topic to create a fresh one");
            }
            if (existing.Error.IsError)
            {
                throw new SetupException($"topic '{name}' is unusable: {existing.Error.Reason}");
            }
            return new TopicInfo(name, existing.Partitions.Count, Created: false);
        }

        var fresh = $"loadgen-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        try
        {
            admin.CreateTopicsAsync(
                    [new TopicSpecification { Name = fresh, NumPartitions = options.Partitions, ReplicationFactor = 1 }],
                    new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout })
                .GetAwaiter().GetResult();
        }
        catch (CreateTopicsException e)
        {
            var reason = e.Results.FirstOrDefault()?.Error.Reason ?? e.Message;
            throw new SetupException($"could not create topic {fresh}: {reason}");
        }
        catch (KafkaException e)
        {
            throw new SetupException($"could not create topic {fresh}: {e.Error.Reason}");
        }
        WaitForLeaders(admin, fresh, options.Partitions);
        return new TopicInfo(fresh, options.Partitions, Created: true);
    }

    /// <summary>Best effort: a broker without DeleteTopics still gets its run, with a note about the leftover topic.</summary>
    public static void Delete(IAdminClient admin, TopicInfo topic)
    {
        try
        {
            admin.DeleteTopicsAsync([topic.Name], new DeleteTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout })
                .GetAwaiter().GetResult();
        }
        catch (KafkaException e)
        {
            Console.Error.WriteLine($"note: could not delete topic {topic.Name}: {e.Message}");
        }
    }

    private static void WaitForLeaders(IAdminClient admin, string topic, int partitions)
    {
        // CreateTopics can answer before the partitions have leaders; producing then would fail the first messages.
        var deadline = DateTime.UtcNow + Timeout;
        string last = "no metadata yet";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var entry = admin.GetMetadata(Timeout).Topics.FirstOrDefault(t => t.Topic == topic);
                if (entry is { Error.IsError: false } && entry.Partitions.Count == partitions
                    && entry.Partitions.All(p => p.Leader >= 0 && !p.Error.IsError))
                {
                    return;
                }
                last = entry is null ? "topic not listed" : $"{entry.Partitions.Count(p => p.Leader >= 0)} of {partitions} partitions have a leader";
            }
            catch (KafkaException e)
            {
                last = e.Error.Reason;
            }
            Thread.Sleep(100);
        }
        throw new SetupException($"topic {topic} was created but not ready within {Timeout.TotalSeconds:0} s ({last})");
    }
}
