using FastLog.TestSupport;

namespace FastLog.Tools.Tests;

/// <summary>The built fastlog.dll run as a real process (<see cref="ToolProcess"/>).</summary>
public static class FastlogProcess
{
    public static ToolRun Run(params string[] args) => ToolProcess.Run("fastlog.dll", args);
}
