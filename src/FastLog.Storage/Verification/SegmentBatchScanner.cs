using System.Buffers;
using FastLog.Protocol;
using FastLog.Protocol.Records;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Storage.Verification;

/// <summary>
/// Walks the batches of one .log file from position 0, read-only and straight from the file, so a broken
/// segment is seen as it lies on disk: opening it as a log would recover it and cut it. Stops cleanly at the
/// end of the file or at a zero header (the preallocated tail of an active segment); stops with a
/// <see cref="Problem"/> at the first batch that is truncated, fails validation or breaks offset order.
/// Never throws on bad bytes, and never holds more than one bounded batch in memory.
/// </summary>
public sealed class SegmentBatchScanner : IDisposable
{
    /// <summary>Batches up to this size are read whole and checked by <see cref="RecordBatchValidator"/>; larger ones are hashed in chunks.</summary>
    public const int DefaultMaxBufferedBatchBytes = 16 * 1024 * 1024;

    private const int StreamChunkBytes = 1024 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly int _maxBufferedBatchBytes;
    private readonly bool _zeroTailAllowed;
    private readonly byte[] _header = new byte[RecordBatchLayout.HeaderSize];
    private byte[] _buffer = [];
    private bool _buffered;
    private bool _finished;
    private long _nextPosition;

    private SegmentBatchScanner(string path, SafeFileHandle handle, long baseOffset, long expectedOffset, int maxBufferedBatchBytes, bool zeroTailAllowed)
    {
        _zeroTailAllowed = zeroTailAllowed;
        Path = path;
        _handle = handle;
        BaseOffset = baseOffset;
        NextOffset = Math.Max(baseOffset, expectedOffset);
        _maxBufferedBatchBytes = Math.Max(RecordBatchLayout.HeaderSize, maxBufferedBatchBytes);
        Length = RandomAccess.GetLength(handle);
    }

    public string Path { get; }

    /// <summary>The segment's base offset: every batch's last offset must lie within int range of it.</summary>
    public long BaseOffset { get; }

    /// <summary>File length when opened; a preallocated file is longer than its data.</summary>
    public long Length { get; }

    /// <summary>The lowest offset the next batch may start at.</summary>
    public long NextOffset { get; private set; }

    /// <summary>Position of the current batch, or where the walk ended or failed.</summary>
    public long Position { get; private set; }

    /// <summary>The current batch's header; valid while <see cref="HasHeader"/>.</summary>
    public RecordBatchHeader Header { get; private set; }

    /// <summary>
    /// True when a whole v2 header lying within the file was read: always after <see cref="MoveNext"/> returned
    /// true, and also for a problem found past the header (a CRC mismatch, bad counts, offsets out of order).
    /// </summary>
    public bool HasHeader { get; private set; }

    /// <summary>Whether the current batch's CRC-32C matched; meaningful only while <see cref="HasHeader"/>.</summary>
    public bool CrcValid { get; private set; }

    /// <summary>Why the walk stopped early; null after a clean end.</summary>
    public VerificationProblem? Problem { get; private set; }

    /// <summary>Opens the file read-only, sharing it with a broker that may have it open. Throws if it cannot be opened.</summary>
    /// <param name="zeroTailAllowed">
    /// Whether zeros may follow the last batch. Only the active segment is preallocated; a rolled segment is
    /// trimmed to its data, so zeros there mean lost bytes (a batch cut inside its zero high-order offset bytes).
    /// </param>
    public static SegmentBatchScanner Open(string path, long baseOffset, long expectedOffset, int maxBufferedBatchBytes = DefaultMaxBufferedBatchBytes, bool zeroTailAllowed = true)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            return new SegmentBatchScanner(path, handle, baseOffset, expectedOffset, maxBufferedBatchBytes, zeroTailAllowed);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next batch; false at the end of the data or at a problem.</summary>
    public bool MoveNext()
    {
        if (_finished)
        {
            return false;
        }
        Position = _nextPosition;
        HasHeader = false;
        CrcValid = false;
        _buffered = false;
        try
        {
            return Step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(NextOffset, $"cannot read: {e.Message}");
        }
    }

    /// <summary>The current batch's bytes (read again from the file when it was too large to keep).</summary>
    public ReadOnlyMemory<byte> ReadBatch()
    {
        if (!HasHeader)
        {
            throw new InvalidOperationException("no batch is current");
        }
        var total = Header.TotalSize;
        if (_buffered)
        {
            return _buffer.AsMemory(0, total);
        }
        var bytes = new byte[total];
        var read = ReadAt(bytes, Position);
        if (read < total)
        {
            throw new IOException($"{Path}: the file ended at position {Position + read} inside the batch at {Position}");
        }
        return bytes;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
        _handle.Dispose();
    }

    private bool Step()
    {
        var remaining = Length - Position;
        if (remaining <= 0)
        {
            return End();
        }
        var headerBytes = _header.AsSpan(0, (int)Math.Min(remaining, RecordBatchLayout.HeaderSize));
        var read = ReadAt(headerBytes, Position);
        if (read < headerBytes.Length)
        {
            return Fail(NextOffset, $"truncated: the file ended at position {Position + read} while reading a batch header");
        }
        if (read < RecordBatchLayout.LogOverhead)
        {
            return headerBytes.ContainsAnyExcept((byte)0) || !_zeroTailAllowed
                ? Fail(NextOffset, $"truncated: {read} bytes at the end of the file cannot hold a batch header")
                : End();
        }
        if (!headerBytes[..RecordBatchLayout.LogOverhead].ContainsAnyExcept((byte)0))
        {
            return _zeroTailAllowed
                ? End() // the preallocated tail of an active segment
                : Fail(NextOffset, "untrimmed: zeros where a batch header should be, in a segment that is not the last one");
        }

        var baseOffset = RecordBatchHeader.ReadBaseOffset(headerBytes);
        var batchLength = RecordBatchHeader.ReadBatchLength(headerBytes);
        if (batchLength < RecordBatchLayout.HeaderSize - RecordBatchLayout.LogOverhead)
        {
            return Fail(baseOffset, $"invalid length: batchLength {batchLength} is smaller than a batch header");
        }
        // Checked before anything is allocated: a garbage length can claim up to 2 GiB.
        var total = (long)batchLength + RecordBatchLayout.LogOverhead;
        if (total > remaining)
        {
            return Fail(baseOffset, $"truncated: batch of {total} bytes but only {remaining} left in the file");
        }
        var magic = headerBytes[RecordBatchLayout.Magic];
        if (magic != RecordBatchLayout.CurrentMagic)
        {
            return Fail(baseOffset, $"unsupported magic: magic {magic}, only 2 is supported");
        }

        Header = RecordBatchHeader.Read(headerBytes);
        HasHeader = true;
        var validation = total <= _maxBufferedBatchBytes ? ValidateBuffered((int)total) : ValidateStreamed(total);
        CrcValid = validation.Error != BatchValidationError.CrcMismatch;
        if (!validation.IsValid)
        {
            return Fail(baseOffset, $"{ErrorName(validation.Error)}: {validation.Message}");
        }

        var header = Header;
        if (header.BaseOffset < NextOffset)
        {
            return Fail(baseOffset, $"offset out of order: base offset {header.BaseOffset} is below the expected next offset {NextOffset}");
        }
        if (header.BaseOffset > long.MaxValue - header.LastOffsetDelta || header.LastOffset - BaseOffset > int.MaxValue)
        {
            return Fail(baseOffset, $"offset out of range: last offset of the batch is more than {int.MaxValue} past the segment's base offset {BaseOffset}");
        }

        NextOffset = header.LastOffset + 1;
        _nextPosition = Position + total;
        return true;
    }

    private BatchValidation ValidateBuffered(int total)
    {
        if (_buffer.Length < total)
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = ArrayPool<byte>.Shared.Rent(total);
        }
        var bytes = _buffer.AsSpan(0, total);
        var read = ReadAt(bytes, Position);
        if (read < total)
        {
            return BatchValidation.Fail(BatchValidationError.Truncated, $"the file ended at position {Position + read} inside the batch");
        }
        _buffered = true;
        return RecordBatchValidator.Validate(bytes, requireDenseOffsets: false);
    }

    /// <summary>
    /// A batch too large to buffer: the CRC is computed over chunks, and the header checks that
    /// <see cref="RecordBatchValidator"/> makes after the CRC are repeated here on the header alone.
    /// </summary>
    private BatchValidation ValidateStreamed(long total)
    {
        var header = Header;
        var crc = Crc32C.CreateIncremental();
        crc.Append(_header.AsSpan(RecordBatchLayout.CrcCoveredStart));
        var chunk = ArrayPool<byte>.Shared.Rent(StreamChunkBytes);
        try
        {
            var end = Position + total;
            for (var position = Position + RecordBatchLayout.HeaderSize; position < end;)
            {
                var span = chunk.AsSpan(0, (int)Math.Min(StreamChunkBytes, end - position));
                var read = ReadAt(span, position);
                if (read < span.Length)
                {
                    return BatchValidation.Fail(BatchValidationError.Truncated, $"the file ended at position {position + read} inside the batch");
                }
                crc.Append(span);
                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var computed = crc.GetCurrentHashAsUInt32();
        if (computed != header.Crc)
        {
            return BatchValidation.Fail(BatchValidationError.CrcMismatch, $"CRC-32C is 0x{computed:x8}, batch says 0x{header.Crc:x8}");
        }
        if ((int)header.Compression > (int)CompressionType.Zstd)
        {
            return BatchValidation.Fail(BatchValidationError.UnknownCompression, $"unknown compression codec {(int)header.Compression}");
        }
        if (header.RecordsCount < 0 || header.LastOffsetDelta < 0 || header.RecordsCount > header.LastOffsetDelta + 1L)
        {
            return BatchValidation.Fail(BatchValidationError.InvalidRecordCount, $"record count {header.RecordsCount} does not fit lastOffsetDelta {header.LastOffsetDelta}");
        }
        if (header.IsControl && header.RecordsCount != 1)
        {
            return BatchValidation.Fail(BatchValidationError.InvalidRecordCount, $"a control batch holds exactly one record, not {header.RecordsCount}");
        }
        return BatchValidation.Ok(header);
    }

    /// <summary>Reads until the span is full or the file ends; returns the bytes read.</summary>
    private int ReadAt(Span<byte> into, long position)
    {
        var total = 0;
        while (total < into.Length)
        {
            var read = RandomAccess.Read(_handle, into[total..], position + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    private bool End()
    {
        _finished = true;
        return false;
    }

    private bool Fail(long offset, string reason)
    {
        Problem = new VerificationProblem(Path, VerificationFileKind.Batch, offset, Position, reason);
        _finished = true;
        return false;
    }

    private static string ErrorName(BatchValidationError error) => error switch
    {
        BatchValidationError.Truncated => "truncated",
        BatchValidationError.InvalidLength => "invalid length",
        BatchValidationError.UnsupportedMagic => "unsupported magic",
        BatchValidationError.CrcMismatch => "crc mismatch",
        BatchValidationError.InvalidRecordCount => "invalid record count",
        BatchValidationError.UnknownCompression => "unknown compression",
        _ => "invalid batch",
    };
}
