using FastLog.Tools.Cli;

namespace FastLog.Tools.Commands;

/// <summary>Entry point of the command line: "fastlog log ...", "fastlog group ..." and the help texts.</summary>
internal static class RootCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0)
        {
            error.WriteLine(Usage.Root);
            return ExitCodes.Usage;
        }
        if (args[0] is "--help" or "-h" or "help")
        {
            output.WriteLine(Usage.Root);
            return ExitCodes.Ok;
        }
        try
        {
            return args[0] switch
            {
                "log" => LogCommand.Run(args.Skip(1).ToList(), output, error),
                "group" => GroupCommand.Run(args.Skip(1).ToList(), output, error),
                "profile" => ProfileCommand.Run(args.Skip(1).ToList(), output, error),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            output.Flush();
            error.WriteLine($"error: {e.Message}");
            error.WriteLine();
            error.WriteLine(args[0] switch
            {
                "log" => Usage.Log,
                "group" => Usage.Group,
                "profile" => Usage.Profile,
                _ => Usage.Root,
            });
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A data dir locked by a running broker, a folder without write permission: a message, not a stack trace.
            output.Flush();
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
