namespace FastLog.Broker.Configuration;

/// <summary>
/// A configuration the broker refuses to start with (or a topic config it refuses to apply). The message names
/// the key and the bad value, so that the one line the server prints is enough to fix the file.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigException()
    {
    }

    /// <summary>A refused value: <c>key: "value" reason</c>.</summary>
    public ConfigException(string key, string value, string reason)
        : base(Describe(key, value, reason))
    {
        Key = key;
    }

    /// <summary>The key whose value was refused, when one key is to blame.</summary>
    public string? Key { get; }

    internal static string Describe(string key, string value, string reason) => $"{key}: \"{value}\" {reason}";
}
