namespace FastLog.Broker.Topics;

/// <summary>Kafka's topic-name rules (Topic.java): 1-249 characters of [a-zA-Z0-9._-], and not "." or "..".</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

    /// <summary>Why the name is not legal, or null when it is.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "topic name is empty";
        }
        if (name is "." or "..")
        {
            return $"topic name cannot be '{name}'";
        }
        if (name.Length > MaxLength)
        {
            return $"topic name is {name.Length} characters, more than {MaxLength}";
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"topic name '{name}' contains '{c}'; only ASCII letters, digits, '.', '_' and '-' are allowed";
            }
        }
        return null;
    }

    /// <summary>Names Kafka reserves for its own topics; clients may read them but not produce to them.</summary>
    public static bool IsInternal(string name) => name is "__consumer_offsets" or "__transaction_state";
}
