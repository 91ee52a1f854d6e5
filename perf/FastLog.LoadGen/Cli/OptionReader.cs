using System.Globalization;

namespace FastLog.LoadGen.Cli;

/// <summary>
/// Splits a command line into positionals, flags and "--name value" / "--name=value" options, and converts values
/// with errors that name the option, what it needs and what it got. Every name must be declared, so a typo is an
/// error instead of a silently ignored setting that would make a benchmark measure something else.
/// </summary>
internal sealed class OptionReader
{
    private readonly Dictionary<string, string> _values = [];
    private readonly HashSet<string> _flags = [];
    private readonly List<string> _positional = [];

    private OptionReader()
    {
    }

    public IReadOnlyList<string> Positional => _positional;

    public static bool WantsHelp(IReadOnlyList<string> args) =>
        args.Any(a => a is "--help" or "-h") || (args.Count > 0 && args[0] == "help");

    public static OptionReader Read(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flagOptions)
    {
        var reader = new OptionReader();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                reader._positional.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            if (reader._values.ContainsKey(name) || reader._flags.Contains(name))
            {
                throw new UsageException($"{name} is given twice");
            }
            if (flagOptions.Contains(name))
            {
                if (equals >= 0)
                {
                    throw new UsageException($"{name} is a flag and takes no value");
                }
                reader._flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                reader._values[name] = equals >= 0 ? arg[(equals + 1)..] : NextValue(args, ref i, name);
            }
            else
            {
                throw new UsageException($"unknown option {name}");
            }
        }
        return reader;
    }

    public bool Has(string name) => _values.ContainsKey(name) || _flags.Contains(name);

    public bool Flag(string name) => _flags.Contains(name);

    public string? Text(string name)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return null;
        }
        if (text.Length == 0)
        {
            throw new UsageException($"{name} needs a non-empty value");
        }
        return text;
    }

    public long? Integer(string name, long min, long max, string unit)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (!long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"{name} needs a whole number of {unit} from {min:N0} to {max:N0}, got '{text}'");
        }
        return value;
    }

    /// <summary>A number of at least <paramref name="min"/> (greater than it when <paramref name="exclusive"/>).</summary>
    public double? Number(string name, double min, bool exclusive, double max, string unit)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (!double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value > max || (exclusive ? value <= min : value < min))
        {
            var range = exclusive ? $"greater than {min} and at most {max:N0}" : $"from {min} to {max:N0}";
            throw new UsageException($"{name} needs a number of {unit} {range}, got '{text}'");
        }
        return value;
    }

    public string? Choice(string name, IReadOnlyCollection<string> allowed)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new UsageException($"{name} must be one of {string.Join(", ", allowed)}; got '{text}'");
    }

    private static string NextValue(IReadOnlyList<string> args, ref int i, string name)
    {
        // "--topic --rate 5" is a forgotten value, not a topic called "--rate"; negative numbers still pass.
        if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
        {
            throw new UsageException($"{name} needs a value");
        }
        return args[++i];
    }
}
