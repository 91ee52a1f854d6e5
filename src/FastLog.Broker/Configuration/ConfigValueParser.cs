using System.Globalization;

namespace FastLog.Broker.Configuration;

/// <summary>
/// Turns a config's text into its typed value the way Kafka's ConfigDef does: trimmed, numbers in the invariant
/// culture with an optional sign, booleans "true" or "false" in any case, lists split on commas with each item
/// trimmed (an empty text is the empty list).
/// </summary>
internal static class ConfigValueParser
{
    /// <summary>The typed value (bool, int, short, long, double, string or IReadOnlyList&lt;string&gt;), or the reason it has none.</summary>
    public static bool TryParse(ConfigType type, string text, out object value, out string reason)
    {
        var trimmed = text.Trim();
        value = trimmed;
        reason = "";
        switch (type)
        {
            case ConfigType.Boolean:
                if (bool.TryParse(trimmed, out var flag))
                {
                    value = flag;
                    return true;
                }
                reason = "is not a boolean (true or false)";
                return false;

            case ConfigType.Int:
            case ConfigType.Short:
            case ConfigType.Long:
                return TryParseInteger(type, trimmed, out value, out reason);

            case ConfigType.Double:
                if (double.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
                    && double.IsFinite(number))
                {
                    value = number;
                    return true;
                }
                reason = "is not a number";
                return false;

            case ConfigType.List:
                value = SplitList(trimmed);
                return true;

            case ConfigType.String:
            case ConfigType.Password:
            case ConfigType.Class:
                return true;

            default:
                reason = $"has a config type this broker cannot parse ({type})";
                return false;
        }
    }

    public static IReadOnlyList<string> SplitList(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 ? [] : [.. trimmed.Split(',').Select(item => item.Trim())];
    }

    private static bool TryParseInteger(ConfigType type, string text, out object value, out string reason)
    {
        value = text;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            // Digits that overflow a long are still an integer, just not one this key can hold.
            reason = IsDigits(text) ? "is out of range for a 64-bit integer" : "is not an integer";
            return false;
        }
        switch (type)
        {
            case ConfigType.Int when number is < int.MinValue or > int.MaxValue:
                reason = "is out of range for a 32-bit integer";
                return false;
            case ConfigType.Int:
                value = (int)number;
                break;
            case ConfigType.Short when number is < short.MinValue or > short.MaxValue:
                reason = "is out of range for a 16-bit integer";
                return false;
            case ConfigType.Short:
                value = (short)number;
                break;
            default:
                value = number;
                break;
        }
        reason = "";
        return true;
    }

    private static bool IsDigits(string text)
    {
        var digits = text.StartsWith('+') || text.StartsWith('-') ? text[1..] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit);
    }
}
