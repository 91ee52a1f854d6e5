using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace FastLog.Benchmarks.Configs;

/// <summary>
/// Bytes per second from the mean time of one operation, so the table shows GB/s or MB/s next to the ratio
/// instead of leaving the division to the reader. Units are decimal (1 MB = 10^6 bytes).
/// </summary>
internal sealed class ThroughputColumn(string name, double bytesPerUnit, Func<BenchmarkCase, long> bytesPerOperation) : IColumn
{
    public string Id => $"{nameof(ThroughputColumn)}.{name}";
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Bytes of one operation over its mean time, in decimal units (1 MB = 10^6 bytes)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (summary[benchmarkCase]?.ResultStatistics is not { Mean: > 0 } statistics)
        {
            return "NA";
        }
        var perSecond = bytesPerOperation(benchmarkCase) / (statistics.Mean / 1e9);
        return (perSecond / bytesPerUnit).ToString("N2", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public override string ToString() => ColumnName;
}
