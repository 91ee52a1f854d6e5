namespace FastLog.Benchmarks.Support;

/// <summary>
/// A scratch folder for one benchmark's files. It lives under the system temp folder, which must be on the same
/// kind of disk as a real data dir for the figures to mean anything: check with `df -T` (perf/README.md). Set
/// FASTLOG_BENCH_DIR to put it elsewhere, e.g. when the temp folder is a tmpfs.
/// </summary>
internal sealed class BenchDirectory
{
    public const string Variable = "FASTLOG_BENCH_DIR";

    private BenchDirectory(string path) => Path = path;

    public string Path { get; }

    public static BenchDirectory Create(string name)
    {
        var root = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? configured
            : System.IO.Path.GetTempPath();
        var parent = System.IO.Path.Combine(root, "fastlog-bench");
        RemoveAbandoned(parent, name);
        var path = System.IO.Path.Combine(parent, $"{name}-{Environment.ProcessId}");
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true); // left by an earlier process that had the same id
        }
        Directory.CreateDirectory(path);
        return new BenchDirectory(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Removes every file inside, so each iteration starts on an empty folder and the disk does not fill.</summary>
    public void Clear()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                System.IO.File.Delete(entry);
            }
        }
    }

    public void Delete()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>
    /// A benchmark process that failed in its setup never runs its cleanup; its folder (up to hundreds of MB)
    /// is removed by the next run, once no process has that id any more.
    /// </summary>
    private static void RemoveAbandoned(string parent, string name)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }
        foreach (var folder in Directory.EnumerateDirectories(parent, name + "-*"))
        {
            var suffix = System.IO.Path.GetFileName(folder)[(name.Length + 1)..];
            if (int.TryParse(suffix, out var processId) && !IsRunning(processId))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
