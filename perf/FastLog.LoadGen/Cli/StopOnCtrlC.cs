namespace FastLog.LoadGen.Cli;

/// <summary>
/// The first Ctrl+C ends the run early but still drains, prints and writes the results; a second one kills the process
/// the usual way, for when the drain itself hangs.
/// </summary>
internal sealed class StopOnCtrlC : IDisposable
{
    private readonly CancellationTokenSource _source = new();

    private StopOnCtrlC() => Console.CancelKeyPress += OnCancel;

    public CancellationToken Token => _source.Token;

    public static StopOnCtrlC Install() => new();

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested)
        {
            return;
        }
        e.Cancel = true;
        Console.Error.WriteLine();
        Console.Error.WriteLine("stopping: draining in-flight messages (Ctrl+C again to kill)");
        _source.Cancel();
    }
}
