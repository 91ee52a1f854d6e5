using HdrHistogram;

namespace FastLog.LoadGen.Measurement;

/// <summary>
/// The reader side of a set of <see cref="PhasedLatency"/> writers: <see cref="Drain"/> moves what they recorded
/// since the last call into one cumulative histogram per phase. Used from one thread only.
/// </summary>
internal sealed class LatencyTotals
{
    private readonly List<Source> _sources = [];
    private readonly LongHistogram[] _totals = [LatencyRange.NewHistogram(), LatencyRange.NewHistogram()];

    public void Track(PhasedLatency writer)
    {
        _sources.Add(new Source(writer.Of(Phase.Warmup), Phase.Warmup));
        _sources.Add(new Source(writer.Of(Phase.Measured), Phase.Measured));
    }

    public void Drain()
    {
        foreach (var source in _sources)
        {
            // Recycling the previous interval histogram keeps the once-a-second drain from allocating.
            var interval = source.Recorder.GetIntervalHistogram(source.Recycle);
            _totals[(int)source.Phase].Add(interval);
            source.Recycle = interval;
        }
    }

    public HistogramBase Of(Phase phase) => _totals[(int)phase];

    /// <summary>The 99th percentile so far of <paramref name="phase"/>, or null before its first value.</summary>
    public long? P99(Phase phase) => _totals[(int)phase] is { TotalCount: > 0 } h ? h.GetValueAtPercentile(99) : null;

    private sealed class Source(Recorder recorder, Phase phase)
    {
        public Recorder Recorder { get; } = recorder;
        public Phase Phase { get; } = phase;
        public HistogramBase? Recycle { get; set; }
    }
}
