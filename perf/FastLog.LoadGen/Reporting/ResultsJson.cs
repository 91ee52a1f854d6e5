using System.Text.Json;
using System.Text.Json.Serialization;

namespace FastLog.LoadGen.Reporting;

/// <summary>Writes a <see cref="RunResult"/> as indented camelCase JSON (schema in perf/README.md).</summary>
internal static class ResultsJson
{
    private static readonly JsonSerializerOptions Settings = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Null stays in the file: a fixed set of keys is easier on the scripts that compare runs.
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(RunResult result) => JsonSerializer.Serialize(result, Settings);

    public static void Write(string path, RunResult result) => File.WriteAllText(path, Serialize(result) + "\n");
}
