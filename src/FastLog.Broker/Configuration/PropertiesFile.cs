using System.Globalization;
using System.Text;

namespace FastLog.Broker.Configuration;

/// <summary>
/// Reads a Java properties file as Kafka's server.properties is read (java.util.Properties.load): <c>key=value</c>,
/// <c>key: value</c> or <c>key value</c>; lines whose first non-blank character is '#' or '!' are comments; a line
/// ending in an odd number of backslashes continues on the next, whose leading blanks are dropped; backslash
/// escapes (\t, \n, \r, \f, \uXXXX, and any other character standing for itself). Values are trimmed at both
/// ends (Java keeps trailing blanks, but Kafka trims every value it parses). A key given twice keeps its last value.
/// Files are read as UTF-8, of which the ISO 8859-1 files Java expects are, in practice, the ASCII subset.
/// </summary>
public static class PropertiesFile
{
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read properties file {path}: {e.Message}", e);
        }
        return Parse(text);
    }

    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in LogicalLines(text))
        {
            var (key, value) = SplitKeyValue(line);
            properties[key] = value;
        }
        return properties;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\f';

    /// <summary>Lines with comments and blank lines dropped and continuations joined; escapes still in place.</summary>
    private static IEnumerable<string> LogicalLines(string text)
    {
        using var naturals = NaturalLines(text).GetEnumerator();
        while (naturals.MoveNext())
        {
            var line = naturals.Current.TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                // A comment ends at its line terminator even when it ends in a backslash.
                continue;
            }
            var logical = new StringBuilder();
            while (EndsWithEscapedTerminator(line))
            {
                logical.Append(line, 0, line.Length - 1);
                line = naturals.MoveNext() ? naturals.Current.TrimStart(' ', '\t', '\f') : "";
            }
            logical.Append(line);
            yield return logical.ToString();
        }
    }

    private static IEnumerable<string> NaturalLines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\r')
            {
                yield return text[start..i];
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    /// <summary>An odd number of trailing backslashes: the last one escapes the line terminator.</summary>
    private static bool EndsWithEscapedTerminator(string line)
    {
        var backslashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static (string Key, string Value) SplitKeyValue(string line)
    {
        // The key ends at the first unescaped '=', ':' or blank; blanks and at most one '=' or ':' follow it.
        var keyEnd = 0;
        while (keyEnd < line.Length && !(line[keyEnd] is '=' or ':' || IsBlank(line[keyEnd])))
        {
            keyEnd += line[keyEnd] == '\\' ? 2 : 1;
        }
        keyEnd = Math.Min(keyEnd, line.Length);
        var valueStart = keyEnd;
        while (valueStart < line.Length && IsBlank(line[valueStart]))
        {
            valueStart++;
        }
        if (valueStart < line.Length && line[valueStart] is '=' or ':')
        {
            valueStart++;
        }
        while (valueStart < line.Length && IsBlank(line[valueStart]))
        {
            valueStart++;
        }
        return (Unescape(line[..keyEnd]), Unescape(TrimUnescapedBlanksAtEnd(line[valueStart..])));
    }

    /// <summary>Drops trailing blanks, except one that a backslash escapes: "\ " is a space the writer meant.</summary>
    private static string TrimUnescapedBlanksAtEnd(string value)
    {
        var end = value.Length;
        while (end > 0 && IsBlank(value[end - 1]))
        {
            var backslashes = 0;
            for (var i = end - 2; i >= 0 && value[i] == '\\'; i--)
            {
                backslashes++;
            }
            if (backslashes % 2 == 1)
            {
                break;
            }
            end--;
        }
        return value[..end];
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }
            if (++i == text.Length)
            {
                break;
            }
            switch (text[i])
            {
                case 't': result.Append('\t'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 'f': result.Append('\f'); break;
                case 'u':
                    if (text.Length - i - 1 < 4
                        || !ushort.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new ConfigException($"malformed \\uXXXX escape in properties line \"{text}\"");
                    }
                    result.Append((char)code);
                    i += 4;
                    break;
                default: result.Append(text[i]); break;
            }
        }
        return result.ToString();
    }
}
