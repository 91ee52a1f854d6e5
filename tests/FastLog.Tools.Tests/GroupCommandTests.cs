using FastLog.TestSupport;
using FastLog.Tools.Tests.Support;

namespace FastLog.Tools.Tests;

/// <summary>
/// fastlog group list / describe / reset-offsets run as a process against a real broker, with a Confluent.Kafka
/// consumer group that committed 4 of 10 records on partition 0, 6 of 6 on partition 1 and nothing on empty partition 2.
/// </summary>
public sealed class GroupCommandTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private static readonly string[] DescribeHeader = ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"];
    private static readonly string[] ResetHeader = ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"];

    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public async Task List_prints_the_group_and_with_state_its_state()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);

        var list = Fastlog("group", "list");
        var withState = Fastlog("group", "list", "--state");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(group.GroupId, list.Lines);
        Assert.True(withState.ExitCode == 0, withState.ToString());
        Assert.Equal(["GROUP", "STATE"], Cells(withState.Lines[0]));
        Assert.Contains([group.GroupId, "Stable"], withState.Lines.Select(Cells));
    }

    [Fact]
    public async Task Describe_prints_each_partition_with_its_committed_offset_log_end_offset_lag_and_member()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);

        var describe = Fastlog("group", "describe", group.GroupId);

        Assert.True(describe.ExitCode == 0, describe.ToString());
        Assert.Equal($"Consumer group '{group.GroupId}' is Stable with 1 member.", describe.Lines[0]);
        Assert.Equal(DescribeHeader, Cells(describe.Lines[1]));
        var rows = describe.Lines.Skip(2).Select(Cells).ToList();
        Assert.Equal(3, rows.Count);
        var host = rows[0][7];
        Assert.NotEqual("-", host);
        Assert.Equal([group.GroupId, group.Topic, "0", "4", "10", "6", group.MemberId, host, ConsumingGroup.ClientId], rows[0]);
        Assert.Equal([group.GroupId, group.Topic, "1", "6", "6", "0", group.MemberId, host, ConsumingGroup.ClientId], rows[1]);
        Assert.Equal([group.GroupId, group.Topic, "2", "-", "0", "-", group.MemberId, host, ConsumingGroup.ClientId], rows[2]);
    }

    [Fact]
    public async Task Describe_after_the_consumer_left_shows_the_committed_partitions_without_members()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);
        group.Close();

        var describe = Fastlog("group", "describe", group.GroupId);

        Assert.True(describe.ExitCode == 0, describe.ToString());
        Assert.Equal($"Consumer group '{group.GroupId}' is Empty: it has no active members.", describe.Lines[0]);
        Assert.Equal(
            [
                [group.GroupId, group.Topic, "0", "4", "10", "6", "-", "-", "-"],
                [group.GroupId, group.Topic, "1", "6", "6", "0", "-", "-", "-"],
            ],
            describe.Lines.Skip(2).Select(Cells));
    }

    [Fact]
    public void Describe_of_a_group_that_does_not_exist_exits_2()
    {
        var describe = Fastlog("group", "describe", "no-such-group");

        Assert.True(describe.ExitCode == 2, describe.ToString());
        Assert.Equal("", describe.Output);
        Assert.Contains("consumer group 'no-such-group' does not exist", describe.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_offsets_is_refused_while_the_group_has_a_member()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);

        var reset = Fastlog("group", "reset-offsets", group.GroupId, "--topic", group.Topic, "--to-earliest", "--execute");

        Assert.True(reset.ExitCode == 2, reset.ToString());
        Assert.Contains($"consumer group '{group.GroupId}' is inactive, but it is Stable with 1 member(s)", reset.Error, StringComparison.Ordinal);
        Assert.Equal([4, 6, -1001], group.Committed());
    }

    [Fact]
    public async Task Reset_offsets_without_execute_prints_the_plan_and_commits_nothing()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);
        group.Close();

        var reset = Fastlog("group", "reset-offsets", group.GroupId, "--topic", group.Topic, "--to-earliest");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal(
            [ResetHeader, [group.GroupId, group.Topic, "0", "0"], [group.GroupId, group.Topic, "1", "0"], [group.GroupId, group.Topic, "2", "0"]],
            reset.Lines.Select(Cells));
        Assert.Contains("dry run", reset.Error, StringComparison.Ordinal);
        Assert.Equal([4, 6, -1001], group.Committed());
    }

    [Fact]
    public async Task Reset_offsets_to_earliest_with_execute_commits_the_log_start_and_describe_shows_the_whole_log_as_lag()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);
        group.Close();

        var reset = Fastlog("group", "reset-offsets", group.GroupId, "--topic", group.Topic, "--to-earliest", "--execute");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal(4, reset.Lines.Length);
        Assert.Equal([0, 0, 0], group.Committed());
        var describe = Fastlog("group", "describe", group.GroupId);
        Assert.Equal(
            [
                [group.GroupId, group.Topic, "0", "0", "10", "10", "-", "-", "-"],
                [group.GroupId, group.Topic, "1", "0", "6", "6", "-", "-", "-"],
                [group.GroupId, group.Topic, "2", "0", "0", "0", "-", "-", "-"],
            ],
            describe.Lines.Skip(2).Select(Cells));
    }

    [Fact]
    public async Task Reset_offsets_to_latest_commits_the_log_end()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);
        group.Close();

        var reset = Fastlog("group", "reset-offsets", group.GroupId, "--topic", group.Topic, "--to-latest", "--execute");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal([10, 6, 0], group.Committed());
    }

    [Fact]
    public async Task Reset_offsets_of_chosen_partitions_to_an_offset_keeps_it_inside_the_log_and_leaves_the_others()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);
        group.Close();

        var reset = Fastlog("group", "reset-offsets", group.GroupId, "--topic", $"{group.Topic}:0,2", "--to-offset", "7", "--execute");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal([ResetHeader, [group.GroupId, group.Topic, "0", "7"], [group.GroupId, group.Topic, "2", "0"]], reset.Lines.Select(Cells));
        Assert.Contains($"offset 7 of {group.Topic}-2 is past the log end; using 0", reset.Error, StringComparison.Ordinal);
        Assert.Equal([7, 6, 0], group.Committed());
    }

    [Fact]
    public async Task Reset_offsets_to_a_datetime_commits_the_first_record_at_or_after_it()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);
        group.Close();
        // Between records 4 and 5 of each partition; the empty partition has no such record and goes to its log end.
        var time = group.FirstTimestamp.AddMilliseconds(4500).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

        var reset = Fastlog("group", "reset-offsets", group.GroupId, "--topic", group.Topic, "--to-datetime", time, "--execute");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal([5, 5, 0], group.Committed());
    }

    [Fact]
    public async Task Reset_offsets_of_a_group_that_does_not_exist_yet_creates_its_offsets()
    {
        using var group = await ConsumingGroup.StartAsync(Broker);
        var newGroup = $"{group.GroupId}-replay";

        var reset = Fastlog("group", "reset-offsets", newGroup, "--topic", $"{group.Topic}:0", "--to-offset", "3", "--execute");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        var describe = Fastlog("group", "describe", newGroup);
        Assert.True(describe.ExitCode == 0, describe.ToString());
        Assert.Equal([[newGroup, group.Topic, "0", "3", "10", "7", "-", "-", "-"]], describe.Lines.Skip(2).Select(Cells));
    }

    [Fact]
    public void Reset_offsets_of_a_topic_that_does_not_exist_exits_2()
    {
        var reset = Fastlog("group", "reset-offsets", "any-group", "--topic", "no-such-topic", "--to-earliest");

        Assert.True(reset.ExitCode == 2, reset.ToString());
        Assert.Contains("topic 'no-such-topic' does not exist", reset.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--topic", "t")]
    [InlineData("--to-earliest")]
    [InlineData("--topic", "t", "--to-earliest", "--to-latest")]
    [InlineData("--topic", "t:0,x", "--to-earliest")]
    [InlineData("--topic", "t", "--to-datetime", "yesterday")]
    public void Reset_offsets_without_exactly_one_target_and_a_topic_is_a_usage_error(params string[] options)
    {
        var reset = Fastlog(["group", "reset-offsets", "any-group", .. options]);

        Assert.True(reset.ExitCode == 1, reset.ToString());
        Assert.StartsWith("error: ", reset.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: fastlog group", reset.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_that_cannot_be_reached_exits_3_with_the_reason()
    {
        var list = FastlogProcess.Run("group", "list", "--bootstrap-server", "127.0.0.1:1", "--timeout-ms", "2000");

        Assert.True(list.ExitCode == 3, list.ToString());
        Assert.Contains("127.0.0.1:1", list.Error, StringComparison.Ordinal);
    }

    private ToolRun Fastlog(params string[] args) => FastlogProcess.Run([.. args, "--bootstrap-server", Broker.BootstrapServers]);

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
