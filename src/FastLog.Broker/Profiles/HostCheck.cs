namespace FastLog.Broker.Profiles;

/// <summary>
/// Checks a profile against the host it starts on, before anything is opened: every data dir in use can be
/// created and written, and every core the profile pins exists here. Each refusal names the field.
/// </summary>
public static class HostCheck
{
    /// <param name="dataDirs">The data dirs the broker will use (the profile's, unless log.dirs overrides them).</param>
    public static void Run(HardwareProfile profile, IReadOnlyList<string> dataDirs, int hostCores)
    {
        for (var d = 0; d < profile.Devices.Count; d++)
        {
            var device = profile.Devices[d];
            for (var i = 0; i < device.DataDirs.Count; i++)
            {
                var dir = device.DataDirs[i];
                if (dataDirs.Contains(dir, StringComparer.Ordinal) && Unwritable(dir) is { } why)
                {
                    throw Refuse(profile, $"devices[{d}].dataDirs[{i}]", $"\"{dir}\" is not a writable directory: {why}");
                }
            }
            if (device.WriterCore is { } core)
            {
                CheckCore(profile, $"devices[{d}].writerCore", core, hostCores);
                if (profile.Cpu.ProcessCores.Count > 0 && !profile.Cpu.ProcessCores.Contains(core))
                {
                    throw Refuse(profile, $"devices[{d}].writerCore", $"core {core} is outside cpu.processCores, where the process may run");
                }
            }
        }
        for (var i = 0; i < profile.Cpu.ProcessCores.Count; i++)
        {
            CheckCore(profile, $"cpu.processCores[{i}]", profile.Cpu.ProcessCores[i], hostCores);
        }
        var pinnedWriters = profile.Devices.Where(d => d.WriterCore is not null).Select(d => d.WriterCore!.Value).ToList();
        if (pinnedWriters.Distinct().Count() != pinnedWriters.Count)
        {
            throw Refuse(profile, "devices[].writerCore", "two writers are pinned to the same core");
        }
    }

    private static void CheckCore(HardwareProfile profile, string field, int core, int hostCores)
    {
        if (core >= hostCores)
        {
            throw Refuse(profile, field, $"core {core} does not exist: this host has {hostCores} cores (0-{hostCores - 1})");
        }
    }

    private static string? Unwritable(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".fastlog-write-check-{Environment.ProcessId}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return e.Message;
        }
    }

    private static ProfileException Refuse(HardwareProfile profile, string field, string problem) =>
        new($"profile {profile.Name}: {field}: {problem}");
}
