using FastLog.TestSupport;
namespace FastLog.Tools.Tests.Support;

/// <summary>
/// One broker for a test class; each test uses its own topic and group. The initial rebalance delay is off so a
/// consumer's first join completes at once instead of after the default 3 seconds.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private BrokerProcess? _broker;

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("the broker is not started");

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync(null, "group.initial.rebalance.delay.ms=0");

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
