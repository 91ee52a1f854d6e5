using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using FastLog.Broker.Profiles;

namespace FastLog.Server;

/// <summary>
/// Server or workstation GC, and concurrent or not, are fixed when the runtime starts. When the profile asks for
/// other modes than the process has, the server replaces itself (execve: same process id, same arguments) with
/// the runtime's environment switches set, once; the marker variable stops a second try.
/// </summary>
internal static partial class GcModeRelaunch
{
    private const string Marker = "FASTLOG_GC_RELAUNCHED";

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execve(string path, string?[] argv, string?[] envp);

    /// <summary>Returns only when no relaunch is needed or possible, with a line to log in the latter case.</summary>
    public static string? RelaunchIfNeeded(GcProfile gc)
    {
        // Concurrent GC off shows as the Batch latency mode until something else sets it.
        var concurrent = GCSettings.LatencyMode != GCLatencyMode.Batch;
        if (gc.Server == GCSettings.IsServerGC && gc.Concurrent == concurrent)
        {
            return null;
        }
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Marker) is not null || Environment.ProcessPath is not { } program)
        {
            return $"warning: the profile asks for gc.server={gc.Server}, gc.concurrent={gc.Concurrent}; running with server={GCSettings.IsServerGC}, concurrent={concurrent} (set DOTNET_gcServer / DOTNET_gcConcurrent)";
        }
        var argv = File.ReadAllText("/proc/self/cmdline", Encoding.UTF8).TrimEnd('\0').Split('\0');
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k is not ("DOTNET_gcServer" or "DOTNET_gcConcurrent"))
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")
            .Append($"DOTNET_gcServer={(gc.Server ? 1 : 0)}")
            .Append($"DOTNET_gcConcurrent={(gc.Concurrent ? 1 : 0)}")
            .Append($"{Marker}=1");
        Console.Out.Flush();
        Console.Error.Flush();
        execve(program, [.. argv, null], [.. environment, null]);
        return $"warning: could not restart with the profile's GC mode (errno {Marshal.GetLastPInvokeError()})";
    }
}
