namespace FastLog.Broker.Groups;

/// <summary>The classic group states; names are what DescribeGroups and ListGroups report.</summary>
public enum GroupState
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}
