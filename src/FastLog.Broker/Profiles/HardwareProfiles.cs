namespace FastLog.Broker.Profiles;

/// <summary>
/// Finds a profile by name or path: a path (it has a directory separator or ends in .json) is read as is; a
/// name is looked up as NAME.json in the hardware-profiles folder next to the program, then in
/// ./hardware-profiles. An unknown name lists the profiles that exist.
/// </summary>
public static class HardwareProfiles
{
    public const string Folder = "hardware-profiles";

    public static HardwareProfile Load(string nameOrPath)
    {
        var path = Locate(nameOrPath);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProfileException($"profile {nameOrPath}: cannot read {path}: {e.Message}");
        }
        return HardwareProfileReader.Parse(json, Path.GetFileName(path));
    }

    /// <summary>The folders searched for profile names, in order.</summary>
    public static IReadOnlyList<string> SearchFolders =>
        [Path.Combine(AppContext.BaseDirectory, Folder), Path.GetFullPath(Folder)];

    private static string Locate(string nameOrPath)
    {
        if (nameOrPath.Contains(Path.DirectorySeparatorChar) || nameOrPath.EndsWith(".json", StringComparison.Ordinal))
        {
            return File.Exists(nameOrPath) ? nameOrPath : throw new ProfileException($"profile {nameOrPath}: no such file");
        }
        foreach (var folder in SearchFolders)
        {
            var candidate = Path.Combine(folder, nameOrPath + ".json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        var known = SearchFolders.Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.json"))
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && !n.EndsWith(".schema", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal);
        throw new ProfileException($"profile {nameOrPath}: no such profile (known: {string.Join(", ", known)}; or give a path to a .json file)");
    }
}
