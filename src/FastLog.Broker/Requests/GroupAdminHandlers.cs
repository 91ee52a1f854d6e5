using FastLog.Broker.Groups;
using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>ListGroups, optionally filtered by state (v4+).</summary>
public sealed class ListGroupsHandler(GroupCoordinator coordinator) : ApiHandler<ListGroupsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, ListGroupsRequest request, CancellationToken cancellation)
    {
        var response = new ListGroupsResponse();
        if (!coordinator.IsLoaded)
        {
            response.ErrorCode = (short)ErrorCode.CoordinatorLoadInProgress;
            return ValueTask.FromResult(Response.Of(response));
        }
        var states = request.StatesFilter.Count > 0 ? request.StatesFilter.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
        foreach (var group in coordinator.Groups.OrderBy(g => g.GroupId, StringComparer.Ordinal))
        {
            lock (group.Lock)
            {
                var state = group.State.ToString();
                if (states is null || states.Contains(state))
                {
                    response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType ?? "", GroupState = state });
                }
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}

/// <summary>DescribeGroups: state, protocol and members with their subscription and assignment bytes.</summary>
public sealed class DescribeGroupsHandler(GroupCoordinator coordinator) : ApiHandler<DescribeGroupsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, DescribeGroupsRequest request, CancellationToken cancellation)
    {
        var response = new DescribeGroupsResponse();
        foreach (var groupId in request.Groups)
        {
            var described = new DescribeGroupsResponse.DescribedGroup { GroupId = groupId };
            response.Groups.Add(described);
            if (!coordinator.IsLoaded)
            {
                described.ErrorCode = (short)ErrorCode.CoordinatorLoadInProgress;
                continue;
            }
            if (coordinator.Find(groupId) is not { } group)
            {
                described.GroupState = nameof(GroupState.Dead); // Kafka describes an unknown group as Dead, without error
                continue;
            }
            lock (group.Lock)
            {
                described.GroupState = group.State.ToString();
                described.ProtocolType = group.ProtocolType ?? "";
                described.ProtocolData = group.State == GroupState.Stable ? group.ProtocolName ?? "" : "";
                foreach (var member in group.Members.Values)
                {
                    described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                    {
                        MemberId = member.MemberId,
                        GroupInstanceId = member.GroupInstanceId,
                        ClientId = member.ClientId,
                        ClientHost = member.ClientHost,
                        MemberMetadata = group.State == GroupState.Stable && group.ProtocolName is { } protocol ? member.MetadataFor(protocol) : [],
                        MemberAssignment = group.State == GroupState.Stable ? member.Assignment : [],
                    });
                }
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}

/// <summary>DeleteGroups: only empty groups; their offsets go with them.</summary>
public sealed class DeleteGroupsHandler(GroupCoordinator coordinator) : ApiHandler<DeleteGroupsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, DeleteGroupsRequest request, CancellationToken cancellation) =>
        ValueTask.FromResult(Response.Of(new DeleteGroupsResponse
        {
            Results = [.. request.GroupsNames.Select(g => new DeleteGroupsResponse.DeletableGroupResult { GroupId = g, ErrorCode = coordinator.DeleteGroup(g) })],
        }));
}
