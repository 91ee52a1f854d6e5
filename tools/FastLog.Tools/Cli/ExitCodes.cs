namespace FastLog.Tools.Cli;

/// <summary>What the process returns, so scripts can tell a bad command line from a bad log or a refused group command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad arguments, unknown command, a file that cannot be dumped or a corrupt batch met by dump.</summary>
    public const int Usage = 1;

    /// <summary>verify found a problem, or its path does not exist.</summary>
    public const int VerificationFailed = 2;

    /// <summary>
    /// A group command that cannot be done: the group or topic does not exist, reset-offsets met a group that still
    /// has members, or the broker refused the new offsets. Same code as a failed verify: the command ran, the answer is no.
    /// </summary>
    public const int Refused = 2;

    /// <summary>No answer from the broker within the timeout, or an error it returned for the whole request.</summary>
    public const int BrokerUnavailable = 3;
}
