using FastLog.Broker.Groups;
using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>JoinGroup: parks until the group's join phase completes; the leader gets every member's subscription.</summary>
public sealed class JoinGroupHandler(GroupCoordinator coordinator) : ApiHandler<JoinGroupRequest>
{
    protected override async ValueTask<Response> HandleAsync(RequestContext context, JoinGroupRequest request, CancellationToken cancellation)
    {
        var outcome = await coordinator.JoinAsync(new JoinRequest(
            request.GroupId,
            request.MemberId,
            request.GroupInstanceId,
            context.Header.ClientId ?? "",
            GroupHandlerText.Host(context),
            request.SessionTimeoutMs,
            request.RebalanceTimeoutMs < 0 ? request.SessionTimeoutMs : request.RebalanceTimeoutMs, // v0 has none: Kafka uses the session timeout
            request.ProtocolType,
            [.. request.Protocols.Select(p => (p.Name, p.Metadata))],
            RequireKnownMemberId: Version(context) >= 4)).WaitAsync(cancellation).ConfigureAwait(false);
        return Response.Of(new JoinGroupResponse
        {
            ErrorCode = outcome.ErrorCode,
            GenerationId = outcome.GenerationId,
            ProtocolType = outcome.ProtocolType,
            ProtocolName = outcome.ProtocolName,
            Leader = outcome.LeaderId,
            MemberId = outcome.MemberId,
            Members = [.. outcome.Members.Select(m => new JoinGroupResponse.JoinGroupResponseMember { MemberId = m.MemberId, GroupInstanceId = m.InstanceId, Metadata = m.Metadata })],
        });
    }
}

/// <summary>SyncGroup: the leader hands in every assignment; each member gets its own.</summary>
public sealed class SyncGroupHandler(GroupCoordinator coordinator) : ApiHandler<SyncGroupRequest>
{
    protected override async ValueTask<Response> HandleAsync(RequestContext context, SyncGroupRequest request, CancellationToken cancellation)
    {
        var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var assignment in request.Assignments)
        {
            assignments[assignment.MemberId] = assignment.Assignment;
        }
        var outcome = await coordinator.SyncAsync(request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId, assignments)
            .WaitAsync(cancellation).ConfigureAwait(false);
        return Response.Of(new SyncGroupResponse
        {
            ErrorCode = outcome.ErrorCode,
            ProtocolType = outcome.ProtocolType,
            ProtocolName = outcome.ProtocolName,
            Assignment = outcome.Assignment,
        });
    }
}

public sealed class HeartbeatHandler(GroupCoordinator coordinator) : ApiHandler<HeartbeatRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, HeartbeatRequest request, CancellationToken cancellation) =>
        ValueTask.FromResult(Response.Of(new HeartbeatResponse
        {
            ErrorCode = coordinator.Heartbeat(request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId),
        }));
}

/// <summary>LeaveGroup: one member (v0-2) or a list of members, static ones by instance id (v3+).</summary>
public sealed class LeaveGroupHandler(GroupCoordinator coordinator) : ApiHandler<LeaveGroupRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, LeaveGroupRequest request, CancellationToken cancellation)
    {
        var leaving = Version(context) >= 3
            ? request.Members.Select(m => (m.MemberId, m.GroupInstanceId)).ToList()
            : [(request.MemberId, (string?)null)];
        var results = coordinator.Leave(request.GroupId, leaving, out var error);
        var response = new LeaveGroupResponse
        {
            ErrorCode = Version(context) >= 3 || error != 0 ? error : results.Select(r => r.Error).FirstOrDefault(),
            Members = [.. results.Select(r => new LeaveGroupResponse.MemberResponse { MemberId = r.MemberId, GroupInstanceId = r.InstanceId, ErrorCode = r.Error })],
        };
        return ValueTask.FromResult(Response.Of(response));
    }
}

internal static class GroupHandlerText
{
    /// <summary>Kafka shows the client's address as "/host" in DescribeGroups.</summary>
    public static string Host(RequestContext context) =>
        context.ClientAddress is System.Net.IPEndPoint ip ? "/" + ip.Address : "/" + context.ClientAddress;
}
