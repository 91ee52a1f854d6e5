namespace FastLog.Storage.Verification;

/// <summary>Which file of a segment a problem was found in.</summary>
public enum VerificationFileKind
{
    /// <summary>The .log file: a batch or the bytes where one should start.</summary>
    Batch,

    /// <summary>The .index file (offset to position).</summary>
    Index,

    /// <summary>The .timeindex file (timestamp to offset).</summary>
    TimeIndex,

    /// <summary>A folder that could not be listed.</summary>
    Directory,
}

/// <summary>
/// The first thing found wrong with a log. <see cref="Offset"/> is the batch's base offset (or the offset
/// expected there when no header could be read; for index entries, the entry's offset); <see cref="Position"/>
/// is the byte position in <see cref="File"/>.
/// </summary>
public sealed record VerificationProblem(string File, VerificationFileKind Kind, long Offset, long Position, string Reason)
{
    public static string KindName(VerificationFileKind kind) => kind switch
    {
        VerificationFileKind.Batch => "batch",
        VerificationFileKind.Index => "index",
        VerificationFileKind.TimeIndex => "timeindex",
        _ => "directory",
    };

    public override string ToString() => $"{File} {KindName(Kind)} offset {Offset} position {Position}: {Reason}";
}
