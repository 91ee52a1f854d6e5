namespace FastLog.LoadGen.Cli;

/// <summary>What the process returns, so a script can tell a failed delivery from a bad command line.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>At least one message failed or was never acknowledged (or, in end-to-end, acknowledged but never consumed).</summary>
    public const int DeliveryFailed = 1;

    /// <summary>The command line could not be parsed or is inconsistent.</summary>
    public const int Usage = 2;

    /// <summary>The run could not start: no broker answered, the broker advertises another address, or the topic is unusable.</summary>
    public const int SetupFailed = 3;

    /// <summary>Every message went through, but the p99 or the throughput got worse than --baseline allows.</summary>
    public const int Regressed = 4;
}
