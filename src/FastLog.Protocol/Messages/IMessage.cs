namespace FastLog.Protocol.Messages;

/// <summary>A request or response body that reads and writes itself for a given version.</summary>
public interface IMessage
{
    void Read(ref ProtocolReader reader, short version);
    void Write(ProtocolWriter writer, short version);
}

/// <summary>What every generated request type tells about itself: its API and the versions it implements.</summary>
public interface IRequestMessage : IMessage
{
    static abstract short ApiKey { get; }
    static abstract short LowestVersion { get; }
    static abstract short HighestVersion { get; }
    static abstract bool IsFlexible(short version);
}

/// <summary>The records field: bytes in memory (a request slice) or bytes sent from outside (a file region).</summary>
public readonly struct RecordsPayload
{
    public RecordsPayload(ReadOnlyMemory<byte> memory) => Memory = memory;
    public RecordsPayload(IExternalRecords external) => External = external;

    public ReadOnlyMemory<byte> Memory { get; }
    public IExternalRecords? External { get; }
    public int Length => External?.Length ?? Memory.Length;

    public static implicit operator RecordsPayload(byte[] bytes) => new(bytes);
}
