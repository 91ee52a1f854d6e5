namespace FastLog.Tools.Cli;

/// <summary>
/// Left-aligned columns sized to their widest cell, as kafka-consumer-groups prints them; the last column is not
/// padded, so lines carry no trailing spaces and split cleanly on whitespace.
/// </summary>
internal sealed class TextTable(params string[] header)
{
    private const string Gap = "  ";

    private readonly List<string[]> _rows = [header];

    public void Add(params string[] cells)
    {
        if (cells.Length != header.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {header.Length} columns", nameof(cells));
        }
        _rows.Add(cells);
    }

    public void WriteTo(TextWriter output)
    {
        var widths = Enumerable.Range(0, header.Length).Select(c => _rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in _rows)
        {
            var cells = row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]));
            output.WriteLine(string.Join(Gap, cells));
        }
    }
}
