namespace FastLog.Tools.Cli;

/// <summary>A command line that cannot be run; the root command prints it with the usage text and exits 1.</summary>
internal sealed class UsageException(string message) : Exception(message);
