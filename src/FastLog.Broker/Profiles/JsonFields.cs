using System.Text.Json;

namespace FastLog.Broker.Profiles;

/// <summary>
/// Reads one JSON object strictly: every field is taken by name with its type checked, and <see cref="End"/>
/// refuses the fields nobody took. Every error names the field by its path (devices[1].dataDirs[0]).
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _object;
    private readonly string _path;
    private readonly string _source;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public JsonFields(JsonElement element, string path, string source)
    {
        _path = path;
        _source = source;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path.Length == 0 ? "the profile" : path, $"must be an object, got {Describe(element)}");
        }
        _object = element;
    }

    public string Path(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    public ProfileException Error(string path, string problem) => new($"profile {_source}: {path}: {problem}");

    public bool Has(string name) => _object.TryGetProperty(name, out _);

    public string String(string name, string? fallback = null, string[]? allowed = null)
    {
        if (Take(name) is not { } value)
        {
            return fallback ?? throw Error(Path(name), "is required");
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(Path(name), $"must be a string, got {Describe(value)}");
        }
        var text = value.GetString()!;
        if (allowed is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            throw Error(Path(name), $"must be one of {string.Join(", ", allowed)}, got \"{text}\"");
        }
        return text;
    }

    public long Long(string name, long fallback, long min, long max)
    {
        if (Take(name) is not { } value)
        {
            return fallback;
        }
        return Number(value, Path(name), min, max);
    }

    public int Int(string name, int fallback, int min, int max) => (int)Long(name, fallback, min, max);

    public bool Bool(string name, bool fallback)
    {
        if (Take(name) is not { } value)
        {
            return fallback;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(Path(name), $"must be true or false, got {Describe(value)}"),
        };
    }

    public JsonFields? Object(string name) => Take(name) is { } value ? new JsonFields(value, Path(name), _source) : null;

    /// <summary>
    /// An optional object field read by <paramref name="read"/> (given the defaults), then checked for fields it
    /// left unread; the defaults when the field is absent.
    /// </summary>
    public T Section<T>(string name, Func<JsonFields, T, T> read) where T : new()
    {
        if (Object(name) is not { } fields)
        {
            return new T();
        }
        var section = read(fields, new T());
        fields.End();
        return section;
    }

    /// <summary>The items of an array field, each with its path; null when the field is absent.</summary>
    public IReadOnlyList<(JsonElement Item, string Path)>? Array(string name)
    {
        if (Take(name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(Path(name), $"must be an array, got {Describe(value)}");
        }
        return [.. value.EnumerateArray().Select((item, i) => (item, $"{Path(name)}[{i}]"))];
    }

    public IReadOnlyList<int> Ints(string name, int min, int max) =>
        Array(name)?.Select(e => (int)Number(e.Item, e.Path, min, max)).ToList() ?? [];

    public IReadOnlyList<string> Strings(string name) =>
        Array(name)?.Select(e => e.Item.ValueKind == JsonValueKind.String
            ? e.Item.GetString()!
            : throw Error(e.Path, $"must be a string, got {Describe(e.Item)}")).ToList() ?? [];

    /// <summary>Refuses any field that was not taken: a typo must not silently fall back to a default.</summary>
    public void End()
    {
        foreach (var property in _object.EnumerateObject())
        {
            if (!_taken.Contains(property.Name))
            {
                throw Error(Path(property.Name), $"unknown field (known here: {string.Join(", ", _taken.Order(StringComparer.Ordinal))})");
            }
        }
    }

    /// <summary>Marks fields as known even when the reader does not use them (documentation such as "$schema").</summary>
    public void Ignore(string name) => _taken.Add(name);

    private JsonElement? Take(string name)
    {
        _taken.Add(name);
        return _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    private long Number(JsonElement value, string path, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw Error(path, $"must be an integer, got {Describe(value)}");
        }
        if (number < min || number > max)
        {
            throw Error(path, $"must be between {min} and {max}, got {number}");
        }
        return number;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
