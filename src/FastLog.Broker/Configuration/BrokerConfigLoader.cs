namespace FastLog.Broker.Configuration;

/// <summary>
/// Builds the <see cref="BrokerConfig"/> the way kafka-server-start does: an optional properties file, then any
/// number of <c>--override key=value</c>, which win over the file (and the later over the earlier). Every problem
/// is a <see cref="ConfigException"/> naming the key and the value.
/// </summary>
public static class BrokerConfigLoader
{
    public const string OverrideOption = "--override";

    /// <summary>From command-line arguments: <c>[server.properties] [--override key=value]...</c>.</summary>
    public static BrokerConfig LoadFromArgs(IReadOnlyList<string> args)
    {
        string? propertiesFile = null;
        var overrides = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == OverrideOption)
            {
                if (i + 1 == args.Count)
                {
                    throw new ConfigException($"{OverrideOption} needs a key=value after it");
                }
                overrides.Add(args[++i]);
            }
            else if (args[i].StartsWith('-'))
            {
                throw new ConfigException($"unknown option \"{args[i]}\"; the arguments are [server.properties] [{OverrideOption} key=value]...");
            }
            else if (propertiesFile is null)
            {
                propertiesFile = args[i];
            }
            else
            {
                throw new ConfigException($"more than one properties file given (\"{propertiesFile}\" and \"{args[i]}\")");
            }
        }
        return Load(propertiesFile, overrides);
    }

    /// <summary>
    /// From an optional hardware profile, an optional properties file and <c>key=value</c> overrides, each winning
    /// over the one before: the profile describes the host, the properties what this broker is asked to do.
    /// </summary>
    public static BrokerConfig Load(string? propertiesFile, IEnumerable<string> overrides, Profiles.HardwareProfile? profile = null)
    {
        var properties = profile is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(Profiles.ProfileProperties.Of(profile), StringComparer.Ordinal);
        if (propertiesFile is not null)
        {
            foreach (var (key, value) in PropertiesFile.Load(propertiesFile))
            {
                properties[key] = value;
            }
        }
        foreach (var (key, value) in overrides.Select(ParseOverride))
        {
            properties[key] = value;
        }
        var config = FromProperties(properties);
        return profile is null ? config : config with { Profile = profile };
    }

    /// <summary>From properties already merged; missing configs take their defaults.</summary>
    public static BrokerConfig FromProperties(IReadOnlyDictionary<string, string> properties) =>
        BrokerConfigParser.Parse(properties);

    /// <summary>"key=value" split at the first '=', both trimmed: the value may itself hold '=' (a listener list does not, a path may).</summary>
    public static KeyValuePair<string, string> ParseOverride(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? "" : text[..equals].Trim();
        if (key.Length == 0)
        {
            throw new ConfigException($"{OverrideOption} \"{text}\" is not of the form key=value");
        }
        return new(key, text[(equals + 1)..].Trim());
    }
}
