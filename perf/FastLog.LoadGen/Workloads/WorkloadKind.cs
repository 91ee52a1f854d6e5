namespace FastLog.LoadGen.Workloads;

internal enum WorkloadKind
{
    ProduceMax,
    ProduceRate,
    EndToEnd,
    Consume,
}

/// <summary>The command-line names of the workloads.</summary>
internal static class WorkloadNames
{
    private static readonly (WorkloadKind Kind, string Name)[] All =
    [
        (WorkloadKind.ProduceMax, "produce-max"),
        (WorkloadKind.ProduceRate, "produce-rate"),
        (WorkloadKind.EndToEnd, "end-to-end"),
        (WorkloadKind.Consume, "consume"),
    ];

    public static string List => string.Join(", ", All.Select(w => w.Name));

    public static string Name(WorkloadKind kind) => All.First(w => w.Kind == kind).Name;

    public static WorkloadKind? Find(string name)
    {
        foreach (var (kind, candidate) in All)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }
        return null;
    }
}
