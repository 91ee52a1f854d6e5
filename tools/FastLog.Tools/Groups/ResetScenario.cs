using System.Globalization;
using Confluent.Kafka;
using FastLog.Tools.Cli;

namespace FastLog.Tools.Groups;

/// <summary>Where reset-offsets moves a partition: one of --to-earliest, --to-latest, --to-offset N, --to-datetime T.</summary>
internal abstract record ResetScenario
{
    public static readonly string[] Flags = ["--to-earliest", "--to-latest"];
    public static readonly string[] Options = ["--to-offset", "--to-datetime"];

    /// <summary>The new offset of <paramref name="partition"/>; <paramref name="warn"/> hears about an offset moved into the log.</summary>
    public abstract long NewOffset(BrokerConnection broker, TopicPartition partition, TextWriter warn);

    public static ResetScenario Parse(Arguments parsed)
    {
        var chosen = Flags.Where(parsed.Flag).Concat(Options.Where(parsed.Has)).ToList();
        if (chosen.Count != 1)
        {
            throw new UsageException(chosen.Count == 0
                ? "reset-offsets needs one of --to-earliest, --to-latest, --to-offset N, --to-datetime <ISO-8601>"
                : $"reset-offsets takes one of --to-earliest, --to-latest, --to-offset, --to-datetime, not {string.Join(" and ", chosen)}");
        }
        return chosen[0] switch
        {
            "--to-earliest" => new Earliest(),
            "--to-latest" => new Latest(),
            "--to-offset" => new ToOffset(parsed.Long("--to-offset", 0, 0)),
            _ => new ToDateTime(ParseDateTime(parsed.Value("--to-datetime", ""))),
        };
    }

    private static DateTimeOffset ParseDateTime(string text)
    {
        // A time without a zone is taken as UTC, so a script gives the same answer on every machine.
        if (!text.Contains('T', StringComparison.Ordinal) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new UsageException($"--to-datetime needs an ISO-8601 time like 2024-05-01T12:00:00.000Z, got '{text}'");
        }
        return time;
    }

    private sealed record Earliest : ResetScenario
    {
        public override long NewOffset(BrokerConnection broker, TopicPartition partition, TextWriter warn) => broker.Watermarks(partition).Low.Value;
    }

    private sealed record Latest : ResetScenario
    {
        public override long NewOffset(BrokerConnection broker, TopicPartition partition, TextWriter warn) => broker.Watermarks(partition).High.Value;
    }

    /// <summary>Clamped into [log start, log end] with a warning, as kafka-consumer-groups does, so the group never commits an offset it cannot read from.</summary>
    private sealed record ToOffset(long Offset) : ResetScenario
    {
        public override long NewOffset(BrokerConnection broker, TopicPartition partition, TextWriter warn)
        {
            var log = broker.Watermarks(partition);
            if (Offset < log.Low.Value)
            {
                warn.WriteLine($"warning: offset {Offset} of {partition.Topic}-{partition.Partition.Value} is before the log start; using {log.Low.Value}");
                return log.Low.Value;
            }
            if (Offset > log.High.Value)
            {
                warn.WriteLine($"warning: offset {Offset} of {partition.Topic}-{partition.Partition.Value} is past the log end; using {log.High.Value}");
                return log.High.Value;
            }
            return Offset;
        }
    }

    /// <summary>The first record at or after the time; none (every record is older) means the log end, as in Kafka.</summary>
    private sealed record ToDateTime(DateTimeOffset Time) : ResetScenario
    {
        public override long NewOffset(BrokerConnection broker, TopicPartition partition, TextWriter warn) =>
            broker.OffsetForTime(partition, Time) ?? broker.Watermarks(partition).High.Value;
    }
}
