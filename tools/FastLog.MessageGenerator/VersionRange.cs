using System.Globalization;

namespace FastLog.MessageGenerator;

/// <summary>A set of versions written as Kafka's schemas do: "3+", "0-7", "5", or "none".</summary>
public readonly record struct VersionRange(int Low, int High)
{
    public static readonly VersionRange None = new(1, 0);
    public static readonly VersionRange All = new(0, short.MaxValue);

    public bool IsEmpty => Low > High;

    public static VersionRange Parse(string text)
    {
        if (text == "none")
        {
            return None;
        }
        if (text.EndsWith('+'))
        {
            return new VersionRange(ParseNumber(text[..^1], text), short.MaxValue);
        }
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            return new VersionRange(ParseNumber(text[..dash], text), ParseNumber(text[(dash + 1)..], text));
        }
        var single = ParseNumber(text, text);
        return new VersionRange(single, single);
    }

    public VersionRange Intersect(VersionRange other) => new(Math.Max(Low, other.Low), Math.Min(High, other.High));

    public bool ContainsAll(VersionRange other) => other.IsEmpty || (Low <= other.Low && High >= other.High);

    /// <summary>A C# condition on "version" that holds exactly inside this range, within the message's own range.</summary>
    public string Condition(VersionRange message, string variable = "version")
    {
        var effective = Intersect(message);
        if (effective.IsEmpty)
        {
            return "false";
        }
        var low = effective.Low > message.Low ? $"{variable} >= {effective.Low}" : null;
        var high = effective.High < message.High ? $"{variable} <= {effective.High}" : null;
        return (low, high) switch
        {
            (null, null) => "true",
            (not null, null) => low,
            (null, not null) => high,
            _ => $"{low} && {high}",
        };
    }

    private static int ParseNumber(string number, string whole) =>
        int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"bad version range '{whole}'");
}
