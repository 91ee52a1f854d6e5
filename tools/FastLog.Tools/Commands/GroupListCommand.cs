using Confluent.Kafka.Admin;
using FastLog.Tools.Cli;
using FastLog.Tools.Groups;

namespace FastLog.Tools.Commands;

/// <summary>"fastlog group list [--state]": the broker's groups (ListGroups), one per line, sorted by id.</summary>
internal static class GroupListCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var parsed = Arguments.Parse(args, ["--state"], BrokerConnection.Options);
        parsed.NoPositional("group list");
        using var broker = BrokerConnection.Open(parsed);
        return broker.Run(() => ListAsync(broker, parsed.Flag("--state"), output), output, error);
    }

    private static async Task<int> ListAsync(BrokerConnection broker, bool withState, TextWriter output)
    {
        var result = await broker.Admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = broker.Timeout }).ConfigureAwait(false);
        var groups = result.Valid.OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList();
        if (!withState)
        {
            foreach (var group in groups)
            {
                output.WriteLine(group.GroupId);
            }
            return ExitCodes.Ok;
        }
        // With --state, a header as kafka-consumer-groups --list --state prints one; without, bare ids for scripts.
        var table = new TextTable("GROUP", "STATE");
        foreach (var group in groups)
        {
            table.Add(group.GroupId, group.State.ToString());
        }
        table.WriteTo(output);
        return ExitCodes.Ok;
    }
}
