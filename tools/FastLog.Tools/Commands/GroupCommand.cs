using FastLog.Tools.Cli;

namespace FastLog.Tools.Commands;

/// <summary>"fastlog group &lt;list|describe|reset-offsets&gt;": consumer groups, over the wire like kafka-consumer-groups.</summary>
internal static class GroupCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0)
        {
            throw new UsageException("missing a group command: list, describe or reset-offsets");
        }
        if (Arguments.WantsHelp(args) || args[0] == "help")
        {
            output.WriteLine(Usage.Group);
            return ExitCodes.Ok;
        }
        var rest = args.Skip(1).ToList();
        return args[0] switch
        {
            "list" => GroupListCommand.Run(rest, output, error),
            "describe" => GroupDescribeCommand.Run(rest, output, error),
            "reset-offsets" => ResetOffsetsCommand.Run(rest, output, error),
            _ => throw new UsageException($"unknown group command '{args[0]}'"),
        };
    }
}
