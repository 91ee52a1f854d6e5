namespace FastLog.LoadGen.Measurement;

/// <summary>Which part of the run a message belongs to, decided by when it was (or should have been) sent.</summary>
internal enum Phase
{
    Warmup = 0,
    Measured = 1,
}
