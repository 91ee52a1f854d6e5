using FastLog.MessageGenerator;

// Generates src/FastLog.Protocol/Messages/Generated/*.g.cs from src/FastLog.Protocol/Messages/Definitions/*.msg.
//   dotnet run --project tools/FastLog.MessageGenerator [-- <repo-root>] [--check]
// --check writes nothing and exits 1 when a generated file is missing or differs (used by the tests).
var check = args.Contains("--check");
var root = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? FindRepositoryRoot();
var result = Generator.Run(root, write: !check);
foreach (var line in result.Report)
{
    Console.WriteLine(line);
}
return check && !result.UpToDate ? 1 : 0;

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FastLog.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("run from inside the repository, or pass its root");
}
