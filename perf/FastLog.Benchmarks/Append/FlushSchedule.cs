namespace FastLog.Benchmarks.Append;

/// <summary>Decides the flush points, so that every write path flushes after exactly the same bytes.</summary>
internal struct FlushSchedule(FlushMode mode)
{
    private const int MiB = 1024 * 1024;
    private long _unflushed;

    /// <summary>Counts a written batch; true when a flush is due now.</summary>
    public bool AfterWrite(int bytes)
    {
        _unflushed += bytes;
        if (mode == FlushMode.PerBatch || _unflushed >= MiB)
        {
            _unflushed = 0;
            return true;
        }
        return false;
    }
}
