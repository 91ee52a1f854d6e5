namespace FastLog.Storage.Verification;

public sealed record LogVerifierOptions
{
    /// <summary>Largest batch read whole into memory; larger ones are checked in chunks.</summary>
    public int MaxBufferedBatchBytes { get; init; } = SegmentBatchScanner.DefaultMaxBufferedBatchBytes;
}
