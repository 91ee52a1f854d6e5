using FastLog.LoadGen;
using FastLog.LoadGen.Cli;
using FastLog.LoadGen.Workloads;

// Thin entry point: parse the command line, then run one workload. ExitCodes says what each outcome returns.
if (OptionReader.WantsHelp(args))
{
    Console.Out.Write(Usage.Text);
    return ExitCodes.Ok;
}

Options options;
try
{
    options = Options.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("Run with --help for the workloads and options.");
    return ExitCodes.Usage;
}

using var stop = StopOnCtrlC.Install();
return WorkloadRunner.Run(options, stop.Token);
