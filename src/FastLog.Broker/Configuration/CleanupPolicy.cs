namespace FastLog.Broker.Configuration;

/// <summary>cleanup.policy: a list, so a topic can be both compacted and trimmed by retention.</summary>
[Flags]
public enum CleanupPolicy
{
    None = 0,
    Delete = 1,
    Compact = 2,
}

internal static class CleanupPolicies
{
    public const string Delete = "delete";
    public const string Compact = "compact";

    /// <summary>The policy a validated list names.</summary>
    public static CleanupPolicy From(IReadOnlyList<string> items)
    {
        var policy = CleanupPolicy.None;
        foreach (var item in items)
        {
            policy |= item switch
            {
                Delete => CleanupPolicy.Delete,
                Compact => CleanupPolicy.Compact,
                _ => throw new ArgumentException($"unknown cleanup policy '{item}'", nameof(items)),
            };
        }
        return policy;
    }
}
