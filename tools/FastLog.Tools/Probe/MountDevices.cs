namespace FastLog.Tools.Probe;

/// <summary>
/// Which block device holds a directory, from /proc/self/mountinfo (the mount with the longest matching mount
/// point, its major:minor): data dirs on one device share one ring and writer in the profile.
/// </summary>
internal static class MountDevices
{
    public static string DeviceOf(string directory)
    {
        var full = Path.GetFullPath(directory);
        const string MountInfo = "/proc/self/mountinfo";
        if (!File.Exists(MountInfo))
        {
            return full; // unknown: a device of its own
        }
        string? best = null;
        var bestLength = -1;
        foreach (var line in File.ReadLines(MountInfo))
        {
            // Fields: id parent major:minor root mount-point ...
            var fields = line.Split(' ');
            if (fields.Length < 5)
            {
                continue;
            }
            var mountPoint = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
            var inside = full == mountPoint || full.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (inside && mountPoint.Length > bestLength)
            {
                best = fields[2];
                bestLength = mountPoint.Length;
            }
        }
        return best ?? full;
    }
}
