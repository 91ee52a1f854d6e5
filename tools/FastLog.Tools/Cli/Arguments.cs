using System.Globalization;

namespace FastLog.Tools.Cli;

/// <summary>
/// A command's arguments: positionals, boolean flags and options with a value ("--name value" or "--name=value").
/// Every name must be declared, so a typo is an error rather than silently ignored.
/// </summary>
internal sealed class Arguments
{
    private readonly HashSet<string> _flags = [];
    private readonly Dictionary<string, string> _values = [];

    private Arguments(List<string> positional) => Positional = positional;

    public IReadOnlyList<string> Positional { get; }

    public static bool WantsHelp(IReadOnlyList<string> args) => args.TakeWhile(a => a != "--").Any(a => a is "--help" or "-h");

    public static Arguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> flags, IReadOnlyCollection<string> options)
    {
        var parsed = new Arguments([]);
        var positional = (List<string>)parsed.Positional;
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || !arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true; // the rest are paths, even those starting with "--"
                continue;
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            if (flags.Contains(name) && equals < 0)
            {
                parsed._flags.Add(name);
            }
            else if (options.Contains(name))
            {
                if (equals < 0 && i + 1 >= args.Count)
                {
                    throw new UsageException($"{name} needs a value");
                }
                parsed._values[name] = equals < 0 ? args[++i] : arg[(equals + 1)..];
            }
            else
            {
                throw new UsageException($"unknown option {name}");
            }
        }
        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string Value(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    /// <summary>Whether the option was given a value.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    public int Int(string name, int fallback, int min)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new UsageException($"{name} needs a whole number of at least {min}, got '{text}'");
        }
        return value;
    }

    public long Long(string name, long fallback, long min)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new UsageException($"{name} needs a whole number of at least {min}, got '{text}'");
        }
        return value;
    }

    /// <summary>The single positional argument the command takes.</summary>
    public string SinglePath(string what)
    {
        return Positional.Count switch
        {
            1 => Positional[0],
            0 => throw new UsageException($"missing {what}"),
            _ => throw new UsageException($"expected one {what}, got {Positional.Count} arguments"),
        };
    }

    /// <summary>For a command that takes only options.</summary>
    public void NoPositional(string command)
    {
        if (Positional.Count > 0)
        {
            throw new UsageException($"{command} takes no arguments besides its options, got '{Positional[0]}'");
        }
    }
}
