namespace FastLog.Broker.Configuration;

/// <summary>
/// One config Kafka defines (ConfigDef.ConfigKey): its name, type, default (null: none) and the check its value
/// must pass. A topic config also lists the broker configs it defaults from, highest precedence first.
/// </summary>
public sealed record ConfigKey(string Name, ConfigType Type, string? DefaultValue, ConfigValidator? Validator = null)
{
    /// <summary>For a topic config: the broker configs it takes its value from when the topic sets none.</summary>
    public IReadOnlyList<BrokerSynonym> Synonyms { get; init; } = [];

    /// <summary>Null when <paramref name="value"/> parses as this key's type and passes its validator, else the message.</summary>
    public string? Validate(string value) => Reason(value, out _) is { } reason ? ConfigException.Describe(Name, value.Trim(), reason) : null;

    /// <summary>
    /// The typed value: bool, int, short, long, double, string, or IReadOnlyList&lt;string&gt; for a list.
    /// A value that does not parse or pass the validator is a <see cref="ConfigException"/> naming this key.
    /// </summary>
    public object Parse(string value) =>
        Reason(value, out var parsed) is { } reason ? throw new ConfigException(Name, value.Trim(), reason) : parsed;

    private string? Reason(string value, out object parsed)
    {
        if (!ConfigValueParser.TryParse(Type, value, out parsed, out var reason))
        {
            return reason;
        }
        return Validator?.Check(parsed);
    }
}
