namespace FastLog.MessageGenerator;

/// <summary>One message of a definition file: a request or response body of one API.</summary>
public sealed record MessageDefinition(
    string Kind,
    string Name,
    int ApiKey,
    VersionRange Versions,
    VersionRange Flexible,
    IReadOnlyList<FieldDefinition> Fields,
    string SourceFile);

/// <summary>
/// One field: name, wire type, the versions it exists in, the versions it may be null in, its default,
/// and its tag when it travels in the tagged-field section of flexible versions.
/// </summary>
public sealed record FieldDefinition(
    string Name,
    string Type,
    VersionRange Versions,
    VersionRange Nullable,
    string? Default,
    int? Tag,
    IReadOnlyList<FieldDefinition> Children,
    int Line)
{
    public bool IsArray => Type.StartsWith("[]", StringComparison.Ordinal);
    public string ElementType => IsArray ? Type[2..] : Type;
    public bool IsStruct => !Primitives.Contains(ElementType);
    public bool IsTagged => Tag is not null;

    public static readonly HashSet<string> Primitives =
        ["int8", "int16", "int32", "int64", "uint16", "uint32", "float64", "bool", "string", "bytes", "records", "uuid"];
}
