namespace FastLog.Storage.Verification;

/// <summary>
/// What a verification walked through, up to the first problem if there is one. Records are counted from the
/// batch headers, bytes are those of the valid batches (a preallocated tail is not counted).
/// </summary>
public sealed record LogVerificationResult(int Partitions, int Segments, long Batches, long Records, long Bytes, VerificationProblem? Problem)
{
    public bool IsOk => Problem is null;
}

/// <summary>The running counts of one verification.</summary>
internal sealed class VerificationTally
{
    public int Partitions;
    public int Segments;
    public long Batches;
    public long Records;
    public long Bytes;

    public LogVerificationResult Result(VerificationProblem? problem) =>
        new(Partitions, Segments, Batches, Records, Bytes, problem);
}
