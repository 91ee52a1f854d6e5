using FastLog.Protocol.Records;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Producers;

/// <summary>
/// The idempotent producers of one partition (Kafka's ProducerStateManager): per producer id its epoch and
/// last batches, checked against every batch before it is appended, and kept in snapshot files so a restart
/// replays only the log written after the newest one. The owning <see cref="PartitionLog"/> calls every
/// method under its write lock, which makes check and append one atomic step.
/// </summary>
public sealed class ProducerStateManager
{
    /// <summary>Snapshots kept per partition: the newest, and one more in case the newest is torn.</summary>
    public const int SnapshotsToRetain = 2;

    private readonly Dictionary<long, ProducerStateEntry> _producers = [];
    /// <summary>Producers as they were before the first <see cref="UpdateUndoable"/> since the last commit (null: absent then).</summary>
    private readonly Dictionary<long, ProducerStateEntry?> _undo = [];

    public ProducerStateManager(string directory, long producerIdExpirationMs)
    {
        Directory = directory;
        ProducerIdExpirationMs = producerIdExpirationMs;
    }

    public string Directory { get; }
    public long ProducerIdExpirationMs { get; }
    public int Count => _producers.Count;
    public IReadOnlyCollection<ProducerStateEntry> Producers => _producers.Values;

    public ProducerStateEntry? Get(long producerId) => _producers.GetValueOrDefault(producerId);

    /// <summary>
    /// Kafka's checks for a batch with a producer id (ProducerAppendInfo, UnifiedLog): null when it may be
    /// appended, otherwise the answer — a duplicate with the original's offset, or a refusal.
    /// </summary>
    public AppendResult? Check(in RecordBatchHeader header)
    {
        if (!_producers.TryGetValue(header.ProducerId, out var producer))
        {
            // No state: a new producer, or one whose state expired or whose data was deleted. Kafka accepts
            // any sequence here (KIP-360) rather than failing the producer with UNKNOWN_PRODUCER_ID.
            return null;
        }
        var first = header.BaseSequence;
        var last = ProducerSequence.Last(first, header.LastOffsetDelta);
        if (producer.FindDuplicate(header.ProducerEpoch, first, last) is { } original)
        {
            return AppendResult.DuplicateOf(original);
        }
        if (header.ProducerEpoch < producer.Epoch)
        {
            return AppendResult.Refused(AppendStatus.InvalidProducerEpoch);
        }
        if (header.ProducerEpoch > producer.Epoch)
        {
            // A bumped epoch restarts the sequence space.
            return first == 0 ? null : AppendResult.Refused(AppendStatus.OutOfOrderSequence);
        }
        return ProducerSequence.Follows(producer.LastSequence, first) ? null : AppendResult.Refused(AppendStatus.OutOfOrderSequence);
    }

    /// <summary>Records a batch written at <paramref name="baseOffset"/>; <paramref name="timestamp"/> is the broker's clock then.</summary>
    public void Update(in RecordBatchHeader header, long baseOffset, long timestamp)
    {
        if (!_producers.TryGetValue(header.ProducerId, out var producer))
        {
            producer = new ProducerStateEntry(header.ProducerId, header.ProducerEpoch);
            _producers.Add(header.ProducerId, producer);
        }
        var first = header.BaseSequence;
        producer.Add(header.ProducerEpoch, new BatchMetadata(first, ProducerSequence.Last(first, header.LastOffsetDelta), baseOffset, baseOffset + header.LastOffsetDelta, timestamp));
    }

    /// <summary>
    /// <see cref="Update"/> for a batch that is not written yet (a deferred append): the producer's state before
    /// it is kept until <see cref="CommitUndoable"/> (the write succeeded) or <see cref="Undo"/> (it failed, and
    /// the batch is not in the log, so a retry of it must be appended, not answered as a duplicate).
    /// </summary>
    public void UpdateUndoable(in RecordBatchHeader header, long baseOffset, long timestamp)
    {
        if (!_undo.ContainsKey(header.ProducerId))
        {
            _undo[header.ProducerId] = _producers.GetValueOrDefault(header.ProducerId)?.Copy();
        }
        Update(header, baseOffset, timestamp);
    }

    public void CommitUndoable() => _undo.Clear();

    /// <summary>Puts back every producer touched by <see cref="UpdateUndoable"/> since the last commit.</summary>
    public void Undo()
    {
        foreach (var (producerId, before) in _undo)
        {
            if (before is null)
            {
                _producers.Remove(producerId);
            }
            else
            {
                _producers[producerId] = before;
            }
        }
        _undo.Clear();
    }

    /// <summary>Forgets producers idle for producer.id.expiration.ms; returns how many.</summary>
    public int RemoveExpired(long nowMs)
    {
        var expired = _producers.Values.Where(p => nowMs - p.LastTimestamp >= ProducerIdExpirationMs).Select(p => p.ProducerId).ToList();
        foreach (var id in expired)
        {
            _producers.Remove(id);
        }
        return expired.Count;
    }

    /// <summary>
    /// Writes the state as of <paramref name="offset"/> (every batch below it, none above: a roll or the log
    /// end) after dropping expired producers, then deletes all but the newest snapshots.
    /// </summary>
    public void TakeSnapshot(long offset, long nowMs, bool durable)
    {
        RemoveExpired(nowMs);
        ProducerSnapshotFile.Write(Directory, offset, _producers.Values, durable);
        var offsets = ProducerSnapshotFile.List(Directory);
        foreach (var old in offsets.Take(Math.Max(0, offsets.Count - SnapshotsToRetain)))
        {
            File.Delete(ProducerSnapshotFile.PathFor(Directory, old));
        }
    }

    /// <summary>
    /// Replaces the state with the one the log holds up to <paramref name="logEnd"/>: the newest readable snapshot
    /// that replay can continue from, then every batch after it (headers only, nothing decompressed).
    /// Snapshots replay cannot use are deleted: above the log end (the log was cut or truncated below them)
    /// and below the first segment (the batches after them are gone).
    /// </summary>
    public void Rebuild(IReadOnlyList<LogSegment> segments, long logEnd, long nowMs, Action<string>? log)
    {
        _producers.Clear();
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, "*" + ProducerSnapshotFile.TempSuffix))
        {
            File.Delete(temp); // a snapshot interrupted before its rename
        }

        long? loadedAt = null;
        var firstBase = segments[0].BaseOffset;
        foreach (var offset in ProducerSnapshotFile.List(Directory).OrderDescending())
        {
            var path = ProducerSnapshotFile.PathFor(Directory, offset);
            if (loadedAt is not null)
            {
                if (offset < firstBase)
                {
                    File.Delete(path);
                }
                continue;
            }
            if (offset > logEnd || offset < firstBase)
            {
                File.Delete(path);
                continue;
            }
            try
            {
                ProducerSnapshotFile.Read(path, _producers);
                loadedAt = offset;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                log?.Invoke($"{path}: producer snapshot unreadable ({e.Message}), deleted");
                _producers.Clear();
                File.Delete(path);
            }
        }
        RemoveExpired(nowMs);

        // Without a snapshot (a log from before snapshots, or every one unreadable) the last two segments are
        // replayed, as Kafka does: they hold the recent batches of every producer still likely to retry.
        var replayFrom = loadedAt ?? segments[Math.Max(0, segments.Count - 2)].BaseOffset;
        try
        {
            Replay(segments, replayFrom, nowMs);
        }
        catch (CorruptBatchException e)
        {
            // A batch corrupted at rest in a segment trusted without a scan: reads report it; the state keeps
            // what came before it, and the producer's next batches are judged against that.
            log?.Invoke($"{Directory}: producer state replay stopped: {e.Message}");
        }
    }

    /// <summary>After segments below <paramref name="firstBase"/> were deleted: snapshots there are useless now.</summary>
    public void OnSegmentsDeleted(long firstBase, long logEnd, long nowMs)
    {
        var remaining = 0;
        foreach (var offset in ProducerSnapshotFile.List(Directory))
        {
            if (offset < firstBase)
            {
                File.Delete(ProducerSnapshotFile.PathFor(Directory, offset));
            }
            else
            {
                remaining++;
            }
        }
        if (remaining == 0 && _producers.Count > 0)
        {
            // The state of producers whose batches were all deleted lives only in memory now: a restart
            // could not replay it, so it is written down.
            TakeSnapshot(logEnd, nowMs, durable: true);
        }
    }

    private void Replay(IReadOnlyList<LogSegment> segments, long fromOffset, long nowMs)
    {
        foreach (var segment in segments)
        {
            if (segment.NextOffset <= fromOffset || segment.Size == 0)
            {
                continue;
            }
            var start = segment.BaseOffset >= fromOffset ? 0 : segment.FindBatch(fromOffset)?.Position;
            if (start is not { } position)
            {
                continue;
            }
            segment.WithBytes(position, segment.Size - position, (Manager: this, From: fromOffset, Now: nowMs), static (bytes, state) =>
            {
                state.Manager.ReplayBatches(bytes, state.From, state.Now);
                return 0;
            });
        }
    }

    private void ReplayBatches(ReadOnlySpan<byte> bytes, long fromOffset, long nowMs)
    {
        for (var position = 0; position + RecordBatchLayout.HeaderSize <= bytes.Length;)
        {
            var header = RecordBatchHeader.Read(bytes[position..]);
            if (header.TotalSize < RecordBatchLayout.HeaderSize)
            {
                return; // not a batch: recovery or the lazy read check reports it, replay just stops
            }
            if (header.BaseOffset >= fromOffset && header.ProducerId >= 0 && !header.IsControl)
            {
                // The log keeps no append time for CreateTime batches; they were written after the last
                // snapshot, so recently, and the replay's clock stands in for it.
                Update(header, header.BaseOffset, header.IsLogAppendTime ? header.MaxTimestamp : nowMs);
            }
            position += header.TotalSize;
        }
    }
}
