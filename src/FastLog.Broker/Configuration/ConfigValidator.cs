using System.Globalization;

namespace FastLog.Broker.Configuration;

/// <summary>
/// A check on a parsed config value (Kafka's ConfigDef.Validator). The reason it returns completes the sentence
/// <c>key: "value" ...</c>, so it reads like "must be at least 1".
/// </summary>
public sealed class ConfigValidator
{
    private readonly Func<object, string?> _check;

    private ConfigValidator(string description, Func<object, string?> check)
    {
        Description = description;
        _check = check;
    }

    /// <summary>The accepted values in words, for documentation and DescribeConfigs documentation fields.</summary>
    public string Description { get; }

    /// <summary>Null when the value is accepted, else why not.</summary>
    public string? Check(object value) => _check(value);

    public override string ToString() => Description;

    public static ConfigValidator AtLeast(long min) =>
        new($"at least {min}", value => AsDouble(value) >= min ? null : $"must be at least {min}");

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>, said as a minimum or a maximum.</summary>
    public static ConfigValidator Range(long min, long max) =>
        new($"at least {min} and at most {max}", value => Convert.ToInt64(value, CultureInfo.InvariantCulture) switch
        {
            var v when v < min => $"must be at least {min}",
            var v when v > max => $"must be at most {max}",
            _ => null,
        });

    public static ConfigValidator Between(double min, double max) =>
        new($"between {Format(min)} and {Format(max)}",
            value => AsDouble(value) is var v && v >= min && v <= max ? null : $"must be between {Format(min)} and {Format(max)}");

    /// <summary>One of the given strings, compared case-sensitively as Kafka does.</summary>
    public static ConfigValidator In(params string[] allowed) =>
        new($"one of {string.Join(", ", allowed)}",
            value => allowed.Contains((string)value, StringComparer.Ordinal) ? null : $"must be one of {string.Join(", ", allowed)}");

    /// <summary>A non-empty list whose items are each one of the given strings, none twice.</summary>
    public static ConfigValidator ListOf(params string[] allowed) =>
        new($"a list of {string.Join(", ", allowed)}", value =>
        {
            var items = (IReadOnlyList<string>)value;
            if (items.Count == 0)
            {
                return $"must list at least one of {string.Join(", ", allowed)}";
            }
            if (items.FirstOrDefault(item => !allowed.Contains(item, StringComparer.Ordinal)) is { } bad)
            {
                return $"must list only {string.Join(", ", allowed)}, not \"{bad}\"";
            }
            return items.Distinct(StringComparer.Ordinal).Count() == items.Count ? null : "must not list a value twice";
        });

    public static ConfigValidator Custom(string description, Func<object, string?> check) => new(description, check);

    private static double AsDouble(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static string Format(double number) => number.ToString("G", CultureInfo.InvariantCulture);
}
