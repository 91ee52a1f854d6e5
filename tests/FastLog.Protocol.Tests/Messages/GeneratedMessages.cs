using FastLog.MessageGenerator;
using FastLog.Protocol.Messages;

namespace FastLog.Protocol.Tests.Messages;

/// <summary>
/// The message definitions of the repository and the generated types they describe. The tests read the
/// definitions rather than reflect over the assembly, so each field's versions and nullability are known.
/// </summary>
internal static class GeneratedMessages
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<IReadOnlyList<MessageDefinition>> Definitions = new(Load);

    public static string RepositoryRoot => Root.Value;

    public static IReadOnlyList<MessageDefinition> All => Definitions.Value;

    public static MessageDefinition Named(string name) => All.Single(m => m.Name == name);

    public static Type TypeOf(MessageDefinition message) =>
        typeof(IMessage).Assembly.GetType($"{typeof(IMessage).Namespace}.{message.Name}", throwOnError: true)!;

    public static IMessage Create(MessageDefinition message) => (IMessage)Activator.CreateInstance(TypeOf(message))!;

    public static bool Has(this VersionRange range, short version) => range.Low <= version && version <= range.High;

    public static byte[] Encode(IMessage message, short version)
    {
        var writer = new ProtocolWriter();
        try
        {
            message.Write(writer, version);
            Assert.Empty(writer.Splices);
            return writer.Buffered.ToArray();
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>Reads a message of the definition's type from the bytes; consumed says how many it read.</summary>
    public static IMessage Decode(MessageDefinition definition, ReadOnlyMemory<byte> bytes, short version, out int consumed)
    {
        var message = Create(definition);
        var reader = new ProtocolReader(bytes);
        message.Read(ref reader, version);
        consumed = reader.Position;
        return message;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FastLog.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no FastLog.sln above {AppContext.BaseDirectory}");
    }

    private static IReadOnlyList<MessageDefinition> Load()
    {
        var folder = Path.Combine(RepositoryRoot, Generator.DefinitionsFolder);
        return
        [
            .. Directory.GetFiles(folder, "*.msg")
                .Order(StringComparer.Ordinal)
                .SelectMany(file => DefinitionParser.Parse(File.ReadAllText(file), Path.GetFileName(file))),
        ];
    }
}
