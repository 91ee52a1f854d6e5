namespace FastLog.Broker.Network;

/// <summary>A pooled response body: the connection hands it back as soon as it is encoded into the send buffer.</summary>
public interface IReleasableMessage
{
    void Release();
}
