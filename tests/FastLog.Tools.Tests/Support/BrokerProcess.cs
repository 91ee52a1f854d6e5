using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FastLog.Tools.Tests.Support;

/// <summary>
/// The broker as a real process (fastlog-server, copied next to the tests by the project reference), on a free port
/// and its own data dir, so the group commands are tested against exactly what a user runs.
/// </summary>
public sealed partial class BrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BrokerProcess(string dataDir, IReadOnlyList<string> overrides)
    {
        DataDir = dataDir;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fastlog-server.dll"));
        foreach (var setting in new[] { "listeners=PLAINTEXT://127.0.0.1:0", $"log.dirs={dataDir}" }.Concat(overrides))
        {
            start.ArgumentList.Add("--override");
            start.ArgumentList.Add(setting);
        }
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, stdout: true);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, stdout: false);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"broker exited with {_process.ExitCode} before it was ready:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string DataDir { get; }
    public string BootstrapServers { get; private set; } = "";

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

    /// <summary>Starts a broker on a fresh data dir and waits for its ready line.</summary>
    public static async Task<BrokerProcess> StartAsync(params string[] overrides)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "fastlog-tools-tests", Guid.NewGuid().ToString("N"));
        var broker = new BrokerProcess(dataDir, overrides);
        broker.BootstrapServers = await broker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return broker;
    }

    /// <summary>Kills the broker (nothing of it outlives the tests) and removes its data dir.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
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

    [GeneratedRegex(@"ready: listening on PLAINTEXT://([0-9.]+:[0-9]+)")]
    private static partial Regex ReadyLine();
}
