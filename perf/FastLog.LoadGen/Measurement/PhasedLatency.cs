using HdrHistogram;

namespace FastLog.LoadGen.Measurement;

/// <summary>
/// One writer's latencies, a <see cref="Recorder"/> per phase. Each producer's delivery-report thread (or the
/// consumer's thread) owns one, so recording takes no lock and never contends with another writer; the progress
/// thread reads interval histograms out of it through <see cref="LatencyTotals"/>.
/// </summary>
internal sealed class PhasedLatency
{
    private readonly Recorder[] _recorders = [LatencyRange.NewRecorder(), LatencyRange.NewRecorder()];

    public void Record(Phase phase, long micros) => _recorders[(int)phase].RecordValue(LatencyRange.Clamp(micros));

    public Recorder Of(Phase phase) => _recorders[(int)phase];
}
