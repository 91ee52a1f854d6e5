using FastLog.Tools.Cli;

namespace FastLog.Tools.Commands;

/// <summary>"fastlog log &lt;dump|verify|sample&gt;": tools over a broker's log files.</summary>
internal static class LogCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0)
        {
            throw new UsageException("missing a log command: dump, verify or sample");
        }
        if (Arguments.WantsHelp(args) || args[0] == "help")
        {
            output.WriteLine(Usage.Log);
            return ExitCodes.Ok;
        }
        var rest = args.Skip(1).ToList();
        return args[0] switch
        {
            "dump" => DumpCommand.Run(rest, output, error),
            "verify" => VerifyCommand.Run(rest, output, error),
            "sample" => SampleCommand.Run(rest, output, error),
            _ => throw new UsageException($"unknown log command '{args[0]}'"),
        };
    }
}
