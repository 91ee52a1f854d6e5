using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace FastLog.NativeTests;

/// <summary>The crash appender as a real child process, its reports read from standard output.</summary>
public sealed class AppenderProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private long _flushedOffset = -1;
    private int _cleaningsStarted;

    /// <param name="compact">Also clean the log every few flushes (the appender's "compact" mode).</param>
    public AppenderProcess(string dataDir, int segmentBytes, string preallocation, bool compact = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FastLog.CrashAppender.dll"));
        start.ArgumentList.Add(dataDir);
        start.ArgumentList.Add(segmentBytes.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(preallocation);
        if (compact)
        {
            start.ArgumentList.Add("compact");
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
                return;
            }
            if (e.Data.StartsWith("FLUSHED ", StringComparison.Ordinal))
            {
                Volatile.Write(ref _flushedOffset, long.Parse(e.Data.AsSpan(8), CultureInfo.InvariantCulture));
            }
            if (e.Data == "CLEANING")
            {
                Interlocked.Increment(ref _cleaningsStarted);
            }
            _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (ErrorLines)
                {
                    ErrorLines.Add(e.Data);
                }
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public List<string> ErrorLines { get; } = [];

    /// <summary>The highest log end offset the appender reported as flushed; -1 before the first.</summary>
    public long FlushedOffset => Volatile.Read(ref _flushedOffset);

    /// <summary>Waits for the "READY n" line and returns n, the log end offset after its recovery.</summary>
    public long WaitUntilReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.TryTake(out var line, TimeSpan.FromMilliseconds(100)) && line.StartsWith("READY ", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6), CultureInfo.InvariantCulture);
            }
            if (_process.HasExited)
            {
                break;
            }
        }
        throw new TimeoutException($"appender not ready; exited: {_process.HasExited}; stderr: {string.Join(" | ", ErrorLines)}");
    }

    /// <summary>Waits until the appender reports a flush at or past <paramref name="offset"/>, or the deadline passes.</summary>
    public void WaitForFlushed(long offset, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (FlushedOffset < offset && DateTime.UtcNow < deadline && !_process.HasExited)
        {
            _lines.TryTake(out _, TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Waits until the appender has started <paramref name="count"/> cleanings, or the deadline passes.</summary>
    public void WaitForCleaningsStarted(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref _cleaningsStarted) < count && DateTime.UtcNow < deadline && !_process.HasExited)
        {
            _lines.TryTake(out _, TimeSpan.FromMilliseconds(5));
        }
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed or closed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }
}
