namespace FastLog.Tools.Probe;

/// <summary>One line on stderr, redrawn in place: [#####-----]  50% phase. Redraws at most every 100 ms.</summary>
internal sealed class ProgressBar(TextWriter error)
{
    private const int Width = 30;
    private long _lastDrawMs = -1000;
    private string _phase = "";

    public void Report(string phase, double fraction)
    {
        var now = Environment.TickCount64;
        if (phase == _phase && fraction < 1 && now - _lastDrawMs < 100)
        {
            return;
        }
        _phase = phase;
        _lastDrawMs = now;
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * Width);
        error.Write($"\r[{new string('#', filled)}{new string('-', Width - filled)}] {(int)(fraction * 100),3}% {phase}".PadRight(100));
        if (fraction >= 1)
        {
            error.WriteLine();
        }
        error.Flush();
    }
}
