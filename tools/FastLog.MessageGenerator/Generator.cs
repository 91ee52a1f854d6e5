namespace FastLog.MessageGenerator;

/// <summary>Reads every definition file and writes (or compares) the generated C# file for each.</summary>
public static class Generator
{
    public const string DefinitionsFolder = "src/FastLog.Protocol/Messages/Definitions";
    public const string GeneratedFolder = "src/FastLog.Protocol/Messages/Generated";

    public sealed record Result(bool UpToDate, List<string> Report);

    public static Result Run(string repositoryRoot, bool write)
    {
        var definitions = Path.Combine(repositoryRoot, DefinitionsFolder);
        var generated = Path.Combine(repositoryRoot, GeneratedFolder);
        Directory.CreateDirectory(generated);
        var report = new List<string>();
        var upToDate = true;
        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(definitions, "*.msg").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var messages = DefinitionParser.Parse(File.ReadAllText(file), name);
            var code = CodeEmitter.Emit(messages, name);
            var target = Path.Combine(generated, Path.GetFileNameWithoutExtension(file) + ".g.cs");
            expectedFiles.Add(Path.GetFileName(target));
            var current = File.Exists(target) ? File.ReadAllText(target) : null;
            if (current == code)
            {
                continue;
            }
            upToDate = false;
            report.Add($"{(current is null ? "missing" : "stale")}: {Path.GetRelativePath(repositoryRoot, target)}");
            if (write)
            {
                File.WriteAllText(target, code);
            }
        }
        foreach (var orphan in Directory.GetFiles(generated, "*.g.cs").Where(f => !expectedFiles.Contains(Path.GetFileName(f))))
        {
            upToDate = false;
            report.Add($"orphan: {Path.GetRelativePath(repositoryRoot, orphan)}");
            if (write)
            {
                File.Delete(orphan);
            }
        }
        report.Add(upToDate ? "generated code is up to date" : write ? "generated code written" : "generated code is out of date");
        return new Result(upToDate, report);
    }
}
