using System.Runtime;

namespace FastLog.Broker.Profiles;

/// <summary>
/// Applies the process-wide parts of a profile at start, before the broker opens anything: the cores the
/// process runs on, the GC latency mode and the worker threads kept ready. Returns a line per setting applied.
/// </summary>
public static class ProfileRuntime
{
    public static IReadOnlyList<string> Apply(HardwareProfile profile)
    {
        var applied = new List<string>();
        if (profile.Cpu.ProcessCores.Count > 0)
        {
            applied.Add(ThreadAffinity.ConfineProcess(profile.Cpu.ProcessCores)
                ? $"process confined to cores {string.Join(',', profile.Cpu.ProcessCores)}"
                : "warning: cpu.processCores could not be applied on this system");
        }
        GCSettings.LatencyMode = profile.Gc.LatencyMode switch
        {
            GcLatencyModes.Batch => GCLatencyMode.Batch,
            GcLatencyModes.SustainedLowLatency => GCLatencyMode.SustainedLowLatency,
            _ => GCLatencyMode.Interactive,
        };
        applied.Add($"GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, latency mode {GCSettings.LatencyMode}");
        if (profile.Network.MinThreads > 0)
        {
            ThreadPool.GetMinThreads(out _, out var completionThreads);
            ThreadPool.SetMinThreads(profile.Network.MinThreads, completionThreads);
            applied.Add($"thread pool keeps at least {profile.Network.MinThreads} worker threads");
        }
        return applied;
    }
}
