namespace FastLog.Tools.Cli;

/// <summary>What the process returns, so scripts can tell a bad command line from a bad log.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad arguments, unknown command, a file that cannot be dumped or a corrupt batch met by dump.</summary>
    public const int Usage = 1;

    /// <summary>verify found a problem, or its path does not exist.</summary>
    public const int VerificationFailed = 2;
}
