namespace FastLog.Storage.Verification;

/// <summary>Visits one index entry at a byte position of its file; returns a problem to stop the walk, or null.</summary>
public delegate VerificationProblem? IndexEntryCheck(ReadOnlySpan<byte> entry, long filePosition);

/// <summary>
/// Reads a .index or .timeindex read-only in bounded chunks and hands each entry to a check. All-zero entries
/// are held back until a real entry follows them: at the end of the file they are the preallocated room of an
/// active index and are ignored; before a real entry they are checked like any other. Used by the verifier
/// and by the dump tool, so both agree on where an index's entries end.
/// </summary>
public static class IndexEntryWalker
{
    private const int EntriesPerChunk = 4096;

    public static VerificationProblem? Walk(string path, VerificationFileKind kind, int entrySize, long baseOffset, IndexEntryCheck check)
    {
        if (!File.Exists(path))
        {
            return new VerificationProblem(path, kind, baseOffset, 0, $"missing: the segment has no {Path.GetExtension(path)} file");
        }
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            if (length % entrySize != 0)
            {
                return new VerificationProblem(path, kind, baseOffset, length - length % entrySize,
                    $"invalid length: {length} bytes is not a whole number of {entrySize}-byte entries");
            }

            var chunk = new byte[entrySize * EntriesPerChunk];
            var zero = new byte[entrySize];
            var zerosFrom = -1L;
            for (var position = 0L; position < length;)
            {
                var span = chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - position));
                var read = ReadAt(handle, span, position);
                if (read < span.Length)
                {
                    return new VerificationProblem(path, kind, baseOffset, position + read, "truncated: the file shrank while it was read");
                }
                for (var at = 0; at < span.Length; at += entrySize)
                {
                    var entry = span.Slice(at, entrySize);
                    var entryPosition = position + at;
                    if (!entry.ContainsAnyExcept((byte)0))
                    {
                        zerosFrom = zerosFrom < 0 ? entryPosition : zerosFrom;
                        continue;
                    }
                    for (var z = zerosFrom; z >= 0 && z < entryPosition; z += entrySize)
                    {
                        if (check(zero, z) is { } zeroProblem)
                        {
                            return zeroProblem;
                        }
                    }
                    zerosFrom = -1;
                    if (check(entry, entryPosition) is { } problem)
                    {
                        return problem;
                    }
                }
                position += span.Length;
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new VerificationProblem(path, kind, baseOffset, 0, $"cannot read: {e.Message}");
        }
    }

    private static int ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> into, long position)
    {
        var total = 0;
        while (total < into.Length)
        {
            var read = RandomAccess.Read(handle, into[total..], position + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
