namespace FastLog.Broker.Tests.Support;

public static class TestTopics
{
    /// <summary>A topic name no other test uses.</summary>
    public static string Unique(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
}
