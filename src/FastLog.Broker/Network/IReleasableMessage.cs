namespace FastLog.Broker.Network;

/// <summary>
/// A pooled response body: the connection hands it back once its frame is sent (or failed to send), as the
/// frame's splices may be its objects.
/// </summary>
public interface IReleasableMessage
{
    void Release();
}
