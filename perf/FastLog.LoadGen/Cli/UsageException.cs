namespace FastLog.LoadGen.Cli;

/// <summary>A command line that cannot be run; Program prints the message and exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
