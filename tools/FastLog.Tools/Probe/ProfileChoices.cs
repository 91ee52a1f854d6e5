using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FastLog.Tools.Probe;

/// <summary>
/// Turns a host's measurements into a hardware profile. Each choice follows from a figure, as runbook.md
/// ("How the probe chooses") explains; the figures themselves go into the description, so the file says why.
/// </summary>
internal static class ProfileChoices
{
    /// <summary>Writer work per produce entry, assumed when bounding a pass by the flush latency.</summary>
    private const double WriterMicrosPerEntry = 10;

    public static string ToJson(string name, int cores, IReadOnlyList<DiskMeasurement> disks, SendPathMeasurement sends, Func<string, string> deviceOf)
    {
        var devices = disks.GroupBy(d => deviceOf(d.DataDir)).ToList();
        var slowestSyncP99 = disks.Max(d => d.SyncAfterOverwriteMicros.P99);
        var overwriteWins = disks.All(d => d.SyncAfterOverwriteMicros.P50 < 0.8 * d.SyncAfterAppendMicros.P50);
        var slowestWrite = disks.Min(d => d.SequentialWriteBytesPerSecond);
        var smallestFree = disks.Min(d => d.FreeBytes);

        // A pass of N entries delays its first entry by about N x the writer's work per entry: keep that within
        // one flush, so a pass costs at most about two flush times.
        var maxBatchEntries = PowerOfTwoAtMost((int)Math.Clamp(slowestSyncP99 / WriterMicrosPerEntry, 64, 4096));
        var ringSize = Math.Max(1024, maxBatchEntries * 4);
        var dedicated = cores >= 8;
        var waitStrategy = dedicated ? "busy-spin" : cores >= 4 ? "phased-backoff" : "blocking";
        // About a tenth of a second of writing at full speed stays zeroed ahead of the appends.
        var prepareAhead = RoundToMiB(Math.Clamp(slowestWrite / 10, 4 << 20, 256 << 20));
        // 64 segments per data dir fit in its free space, within 128 MiB and 1 GiB.
        var segmentBytes = RoundToMiB(Math.Clamp(smallestFree / 64, 128 << 20, 1 << 30));

        var description = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Probed {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.MachineName}: {cores} cores");
        foreach (var disk in disks)
        {
            description.Append(CultureInfo.InvariantCulture,
                $"; {disk.DataDir}: fdatasync after append p50 {Ms(disk.SyncAfterAppendMicros.P50)} p99 {Ms(disk.SyncAfterAppendMicros.P99)}, after overwrite p50 {Ms(disk.SyncAfterOverwriteMicros.P50)} p99 {Ms(disk.SyncAfterOverwriteMicros.P99)}, with every core busy p99 {Ms(disk.SyncUnderLoadMicros.P99)} max {Ms(disk.SyncUnderLoadMicros.Max)}, write {disk.SequentialWriteBytesPerSecond / 1e6:F0} MB/s, read {disk.SequentialReadBytesPerSecond / 1e6:F0} MB/s");
        }
        description.Append(CultureInfo.InvariantCulture,
            $"; loopback send of a cached file: sendfile {sends.SendFileBytesPerSecond / 1e6:F0} MB/s, read + send {sends.ReadSendBytesPerSecond / 1e6:F0} MB/s.");

        using var stream = new MemoryStream();
        // Relaxed escaping: the file is read by people and by a JSON parser, never put into HTML, and "+" or a
        // data dir's non-ASCII name should read as written.
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "./profile.schema.json");
            json.WriteString("name", name);
            json.WriteString("description", description.ToString());
            json.WriteStartArray("devices");
            var core = 1; // core 0 is left to interrupts and the rest of the system
            for (var d = 0; d < devices.Count; d++)
            {
                json.WriteStartObject();
                json.WriteString("name", $"device{d}");
                json.WriteStartArray("dataDirs");
                foreach (var disk in devices[d])
                {
                    json.WriteStringValue(disk.DataDir);
                }
                json.WriteEndArray();
                if (dedicated && core < cores)
                {
                    json.WriteNumber("writerCore", core++);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("ring");
            json.WriteNumber("size", ringSize);
            json.WriteString("waitStrategy", waitStrategy);
            json.WriteNumber("maxBatchEntries", maxBatchEntries);
            json.WriteEndObject();
            json.WriteStartObject("flush");
            json.WriteString("policy", "per-batch");
            json.WriteEndObject();
            json.WriteStartObject("segments");
            json.WriteNumber("bytes", segmentBytes);
            json.WriteString("preallocation", overwriteWins ? "prepared" : "none");
            json.WriteNumber("prepareAheadBytes", prepareAhead);
            json.WriteEndObject();
            json.WriteStartObject("network");
            json.WriteNumber("minThreads", dedicated ? cores : 0);
            json.WriteNumber("socketSendBufferBytes", dedicated ? 1 << 20 : 102_400);
            json.WriteNumber("socketReceiveBufferBytes", dedicated ? 1 << 20 : 102_400);
            json.WriteBoolean("zeroCopyFetch", sends.ZeroCopyWins);
            json.WriteEndObject();
            json.WriteStartObject("cleaner");
            json.WriteNumber("threads", devices.Count);
            json.WriteNumber("ioMaxBytesPerSecond", RoundToMiB(slowestWrite / 4));
            json.WriteNumber("dedupeBufferBytes", dedicated ? 512L << 20 : 64L << 20);
            json.WriteEndObject();
            json.WriteStartObject("gc");
            json.WriteBoolean("server", dedicated);
            json.WriteBoolean("concurrent", !dedicated);
            json.WriteString("latencyMode", dedicated ? "sustained-low-latency" : "interactive");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static int PowerOfTwoAtMost(int value) => 1 << (31 - int.LeadingZeroCount(value));

    private static long RoundToMiB(double bytes) => (long)Math.Round(bytes / (1 << 20)) << 20;

    private static string Ms(double micros) => (micros / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
