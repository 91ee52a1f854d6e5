using System.Globalization;

namespace FastLog.MessageGenerator;

/// <summary>
/// Reads FastLog's message definition format. One header line per message, then one line per field, nested
/// fields indented two spaces under their array or struct field:
/// <code>
/// request ProduceRequest key=0 versions=0-7 flexible=9+
///   TransactionalId string versions=3+ nullable=3+
///   TopicData []TopicProduceData
///     Name string
/// </code>
/// A field line is "Name type [versions=R] [nullable=R] [default=V] [tag=N]"; a type ending in '?' is nullable
/// in every version. Lines starting with '#' are comments.
/// </summary>
public static class DefinitionParser
{
    public static List<MessageDefinition> Parse(string text, string sourceFile)
    {
        var messages = new List<MessageDefinition>();
        var lines = text.Split('\n');
        var index = 0;
        while (index < lines.Length)
        {
            var line = StripComment(lines[index]);
            if (line.Trim().Length == 0)
            {
                index++;
                continue;
            }
            if (Indent(line) != 0)
            {
                throw Error(sourceFile, index, "a field outside any message");
            }
            var header = Tokens(line);
            if (header.Count < 2 || header[0] is not ("request" or "response" or "struct"))
            {
                throw Error(sourceFile, index, "expected 'request Name key=N versions=R flexible=R' or 'response ...' or 'struct ...'");
            }
            var options = Options(header.Skip(2), sourceFile, index);
            var headerLine = index;
            index++;
            var fields = ParseFields(lines, ref index, 2, sourceFile);
            messages.Add(new MessageDefinition(
                header[0],
                header[1],
                options.TryGetValue("key", out var key) ? int.Parse(key, CultureInfo.InvariantCulture) : -1,
                options.TryGetValue("versions", out var versions) ? VersionRange.Parse(versions) : throw Error(sourceFile, headerLine, "missing versions="),
                options.TryGetValue("flexible", out var flexible) ? VersionRange.Parse(flexible) : VersionRange.None,
                fields,
                sourceFile));
        }
        return messages;
    }

    private static List<FieldDefinition> ParseFields(string[] lines, ref int index, int indent, string sourceFile)
    {
        var fields = new List<FieldDefinition>();
        while (index < lines.Length)
        {
            var line = StripComment(lines[index]);
            if (line.Trim().Length == 0)
            {
                index++;
                continue;
            }
            var lineIndent = Indent(line);
            if (lineIndent < indent)
            {
                break;
            }
            if (lineIndent > indent)
            {
                throw Error(sourceFile, index, $"indented {lineIndent} spaces where {indent} were expected");
            }
            var tokens = Tokens(line);
            if (tokens.Count < 2)
            {
                throw Error(sourceFile, index, "a field needs a name and a type");
            }
            var fieldLine = index;
            var type = tokens[1];
            var nullableEverywhere = type.EndsWith('?');
            if (nullableEverywhere)
            {
                type = type[..^1];
            }
            var options = Options(tokens.Skip(2), sourceFile, index);
            index++;
            var children = ParseFields(lines, ref index, indent + 2, sourceFile);
            var field = new FieldDefinition(
                tokens[0],
                type,
                options.TryGetValue("versions", out var versions) ? VersionRange.Parse(versions) : VersionRange.All,
                nullableEverywhere ? VersionRange.All : options.TryGetValue("nullable", out var nullable) ? VersionRange.Parse(nullable) : VersionRange.None,
                options.GetValueOrDefault("default"),
                options.TryGetValue("tag", out var tag) ? int.Parse(tag, CultureInfo.InvariantCulture) : null,
                children,
                fieldLine + 1);
            if (field.IsStruct != (children.Count > 0))
            {
                throw Error(sourceFile, fieldLine, field.IsStruct ? $"struct type {field.ElementType} has no fields" : "a primitive field cannot have nested fields");
            }
            fields.Add(field);
        }
        return fields;
    }

    private static Dictionary<string, string> Options(IEnumerable<string> tokens, string sourceFile, int index)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Error(sourceFile, index, $"expected key=value, got '{token}'");
            }
            options[token[..equals]] = token[(equals + 1)..];
        }
        return options;
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return (hash >= 0 ? line[..hash] : line).TrimEnd('\r', ' ', '\t');
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static List<string> Tokens(string line) => [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static FormatException Error(string sourceFile, int index, string message) =>
        new($"{sourceFile}:{index + 1}: {message}");
}
