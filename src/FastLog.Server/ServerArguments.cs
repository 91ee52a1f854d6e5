namespace FastLog.Server;

/// <summary>
/// The command line, as kafka-server-start takes it: an optional properties file and repeatable
/// "--override key=value".
/// </summary>
public sealed record ServerArguments(string? PropertiesFile, IReadOnlyList<string> Overrides, bool Help, string? Profile = null)
{
    public const string Usage = """
        usage: fastlog-server [--profile NAME|PATH] [server.properties] [--override key=value]...

        Starts a FastLog broker. Settings keep Kafka's names (listeners, advertised.listeners, log.dirs,
        node.id, num.partitions, ...); without any, it listens on 127.0.0.1:9092 with data in ./data.
        --profile takes a hardware profile (ci, laptop, 1x-nvme, 4x-nvme, or a .json file; see
        hardware-profiles/README.md): devices and data dirs, rings, flush policy, pinning, GC. The properties
        file and --override win over the profile's settings.
        """;

    public static ServerArguments Parse(IReadOnlyList<string> args)
    {
        string? file = null;
        string? profile = null;
        var overrides = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    return new ServerArguments(null, [], true);
                case "--profile":
                    if (i + 1 >= args.Count || profile is not null)
                    {
                        throw new ArgumentException("--profile needs one NAME or PATH");
                    }
                    profile = args[++i];
                    break;
                case "--override":
                    if (i + 1 >= args.Count || !args[i + 1].Contains('=', StringComparison.Ordinal))
                    {
                        throw new ArgumentException("--override needs key=value");
                    }
                    overrides.Add(args[++i]);
                    break;
                default:
                    if (args[i].StartsWith('-') || file is not null)
                    {
                        throw new ArgumentException($"unexpected argument '{args[i]}'");
                    }
                    file = args[i];
                    break;
            }
        }
        return new ServerArguments(file, overrides, false, profile);
    }
}
