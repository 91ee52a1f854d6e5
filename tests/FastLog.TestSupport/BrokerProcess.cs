using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FastLog.TestSupport;

/// <summary>
/// The broker as a real process (fastlog-server, copied next to the tests by their project reference to
/// FastLog.Server), on a free port and its own data dir, so tests run in parallel and exercise exactly what a
/// user runs.
/// </summary>
public sealed partial class BrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BrokerProcess(string dataDir, IReadOnlyList<string> overrides, IReadOnlyList<string> arguments)
    {
        DataDir = dataDir;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fastlog-server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The ci profile's zeroing window: a run starts hundreds of brokers, and each written partition zeroes this much.
        foreach (var setting in new[] { "listeners=PLAINTEXT://127.0.0.1:0", $"log.dirs={dataDir}", "log.prepare.ahead.bytes=4194304" }.Concat(overrides))
        {
            start.ArgumentList.Add("--override");
            start.ArgumentList.Add(setting);
        }
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, stdout: true);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, stdout: false);
        _process.Exited += (_, _) =>
        {
            _process.WaitForExit(); // the output may still be in the pipes: the reason why it exited is in it
            _ready.TrySetException(new InvalidOperationException($"broker exited with {_process.ExitCode} before it was ready:\n{Output}"));
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Data dirs made up here, removed when the test process exits: a test may restart a broker on its data dir
    /// after disposing the first, so a dir cannot go with its first broker.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> CreatedDataDirs = CreateCleanup();

    private static System.Collections.Concurrent.ConcurrentBag<string> CreateCleanup()
    {
        var dirs = new System.Collections.Concurrent.ConcurrentBag<string>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var dir in dirs)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // a broker still running at exit, or already removed: nothing to keep
                }
            }
        };
        return dirs;
    }

    public string DataDir { get; }
    public int ProcessId => _process.Id;
    public string BootstrapServers { get; private set; } = "";
    public int Port { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts a broker and waits for its ready line. Reuse <paramref name="dataDir"/> to restart on the same data.</summary>
    public static Task<BrokerProcess> StartAsync(string? dataDir = null, params string[] overrides) =>
        StartWithArgumentsAsync([], dataDir, overrides);

    /// <summary>Starts a broker with command-line <paramref name="arguments"/> (such as --profile) before the overrides.</summary>
    public static async Task<BrokerProcess> StartWithArgumentsAsync(IReadOnlyList<string> arguments, string? dataDir = null, params string[] overrides)
    {
        if (dataDir is null)
        {
            dataDir = Path.Combine(Path.GetTempPath(), "fastlog-broker-tests", Guid.NewGuid().ToString("N"));
            CreatedDataDirs.Add(dataDir);
        }
        var broker = new BrokerProcess(dataDir, overrides, arguments);
        var address = await broker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        broker.BootstrapServers = address;
        broker.Port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        return broker;
    }

    /// <summary>
    /// Whether the broker logs a line containing <paramref name="text"/> within <paramref name="timeout"/>:
    /// its output is read asynchronously, so a line may arrive a moment after the event it reports.
    /// </summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary>SIGTERM, then waits for the process; returns its exit code (0 after a clean shutdown).</summary>
    public async Task<int> StopAsync()
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }
        Signal(15);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: nothing is flushed or closed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>Removes the data dir of a broker that is no longer running.</summary>
    public void DeleteData()
    {
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void OnLine(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
        if (stdout && ReadyLine().Match(line) is { Success: true } match)
        {
            _ready.TrySetResult(match.Groups[1].Value);
        }
    }

    private void Signal(int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    [GeneratedRegex(@"ready: listening on PLAINTEXT://([0-9.]+:[0-9]+)")]
    private static partial Regex ReadyLine();
}
