using System.Buffers.Binary;

namespace FastLog.Protocol.Records;

/// <summary>Types of the one record in a control batch (ControlRecordType.java); 2-6 are KRaft-internal.</summary>
public enum ControlRecordType : short
{
    Abort = 0,
    Commit = 1,
}

/// <summary>The transaction marker: key (version, type) and value (version, coordinatorEpoch).</summary>
public static class ControlRecord
{
    public static byte[] Key(ControlRecordType type)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(key, 0);
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), (short)type);
        return key;
    }

    public static byte[] Value(int coordinatorEpoch)
    {
        var value = new byte[6];
        BinaryPrimitives.WriteInt16BigEndian(value, 0);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), coordinatorEpoch);
        return value;
    }

    public static bool TryReadType(ReadOnlySpan<byte> key, out ControlRecordType type)
    {
        type = default;
        if (key.Length < 4)
        {
            return false;
        }
        type = (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(key[2..]);
        return true;
    }
}
