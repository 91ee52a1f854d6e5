using System.Collections.Concurrent;

namespace FastLog.LoadGen.Measurement;

/// <summary>
/// Failures by error code, with the first reason seen for each. Shared by every thread; failures are rare, so a
/// concurrent dictionary is cheap enough and keeps the common path free of it.
/// </summary>
internal sealed class ErrorCounts
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Add(string code, string reason, long count = 1)
    {
        var entry = _entries.GetOrAdd(code, _ => new Entry(reason));
        Interlocked.Add(ref entry.Count, count);
    }

    public IReadOnlyDictionary<string, ErrorSummary> Read() =>
        _entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(e => e.Key, e => new ErrorSummary(Interlocked.Read(ref e.Value.Count), e.Value.FirstReason), StringComparer.Ordinal);

    private sealed class Entry(string firstReason)
    {
        public long Count;
        public string FirstReason { get; } = firstReason;
    }
}

internal sealed record ErrorSummary(long Count, string FirstReason);
