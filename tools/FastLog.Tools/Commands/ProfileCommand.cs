using FastLog.Broker.Profiles;
using FastLog.Tools.Cli;
using FastLog.Tools.Probe;

namespace FastLog.Tools.Commands;

/// <summary>
/// "fastlog profile probe [--data-dirs DIR,...] [--out FILE]": measures this host and writes a hardware profile
/// (stdout without --out). The written profile is read back with the server's own reader before it is kept.
/// </summary>
internal static class ProfileCommand
{
    private const long MaxSendProbeBytes = 256L << 20;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0)
        {
            throw new UsageException("missing a profile command: probe");
        }
        if (Arguments.WantsHelp(args) || args[0] == "help")
        {
            output.WriteLine(Usage.Profile);
            return ExitCodes.Ok;
        }
        if (args[0] != "probe")
        {
            throw new UsageException($"unknown profile command '{args[0]}'");
        }
        var parsed = Arguments.Parse(args.Skip(1).ToList(), [], ["--data-dirs", "--out", "--name", "--syncs", "--bandwidth-mib"]);
        if (parsed.Positional.Count > 0)
        {
            throw new UsageException($"unexpected argument '{parsed.Positional[0]}'");
        }
        var dataDirs = parsed.Value("--data-dirs", "./data").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dataDirs.Length == 0)
        {
            throw new UsageException("--data-dirs needs at least one directory");
        }
        var syncs = parsed.Int("--syncs", 500, 10);
        var bandwidthMiB = parsed.Int("--bandwidth-mib", 512, 1);
        var outPath = parsed.Value("--out", "");
        var name = parsed.Value("--name", outPath.Length > 0 ? Path.GetFileNameWithoutExtension(outPath) : Environment.MachineName.ToLowerInvariant());

        var progress = new ProgressBar(error);
        var measurements = dataDirs.Select(dir => new DiskProbe(dir, syncs, (long)bandwidthMiB << 20, progress).Run()).ToList();
        // Fetched records are usually in the page cache: the send size need not follow the disk measurement's.
        var sends = SendPathProbe.Run(dataDirs[0], Math.Min((long)bandwidthMiB << 20, MaxSendProbeBytes), progress);
        var json = ProfileChoices.ToJson(name, Environment.ProcessorCount, measurements, sends, MountDevices.DeviceOf);
        HardwareProfileReader.Parse(json, name); // a profile the server would refuse is a bug here, not the operator's problem

        foreach (var m in measurements)
        {
            error.WriteLine($"{m.DataDir}: fdatasync after append p50 {m.SyncAfterAppendMicros.P50 / 1000:F2} ms p99 {m.SyncAfterAppendMicros.P99 / 1000:F2} ms; after overwrite p50 {m.SyncAfterOverwriteMicros.P50 / 1000:F2} ms p99 {m.SyncAfterOverwriteMicros.P99 / 1000:F2} ms; with every core busy p99 {m.SyncUnderLoadMicros.P99 / 1000:F2} ms max {m.SyncUnderLoadMicros.Max / 1000:F2} ms; write {m.SequentialWriteBytesPerSecond / 1e6:F0} MB/s; read {m.SequentialReadBytesPerSecond / 1e6:F0} MB/s");
        }
        error.WriteLine($"loopback send of a cached file: sendfile {sends.SendFileBytesPerSecond / 1e6:F0} MB/s, read + send {sends.ReadSendBytesPerSecond / 1e6:F0} MB/s; zero-copy fetch {(sends.ZeroCopyWins ? "on" : "off")}");
        if (outPath.Length == 0)
        {
            output.Write(json);
        }
        else
        {
            File.WriteAllText(outPath, json);
            error.WriteLine($"wrote {outPath}; start the broker with: fastlog-server --profile {outPath}");
        }
        return ExitCodes.Ok;
    }
}
