using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>
/// Where librdkafka's warnings and errors go: stderr, each distinct text once. A broker that is down makes the
/// clients repeat the same complaint many times a second, which would bury the progress lines.
/// </summary>
internal static class ClientLog
{
    private const int MaxDistinct = 100;
    private static readonly HashSet<string> Seen = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    public static void OnLog(LogMessage message)
    {
        // Errors come through OnError as well; the log copy of each would only say it twice.
        if (message.Level <= SyslogLevel.Warning && message.Level != SyslogLevel.Error)
        {
            WriteOnce($"librdkafka {message.Level.ToString().ToLowerInvariant()}: {message.Message}");
        }
    }

    public static void OnError(Error error) => WriteOnce($"librdkafka error: {error.Code}: {error.Reason}");

    private static void WriteOnce(string line)
    {
        lock (Gate)
        {
            if (Seen.Count >= MaxDistinct || !Seen.Add(line))
            {
                return;
            }
        }
        Console.Error.WriteLine(line);
    }
}
