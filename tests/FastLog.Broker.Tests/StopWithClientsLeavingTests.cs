using FastLog.Broker.Tests.Support;
using FastLog.Protocol.Messages;
using FastLog.Protocol.Records;
using FastLog.TestSupport;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Broker.Tests;

/// <summary>
/// A stop while clients leave with produce requests still in flight and others stay connected: connections end on
/// their own while the server closes them, and the stop must still be clean (a connection that ended and was disposed in the middle
/// of its own close once made the stop throw, and the process abort).
/// </summary>
public sealed class StopWithClientsLeavingTests
{
    private const int Connections = 30;
    private const int RequestsEach = 5;

    [Fact]
    public async Task Clients_leaving_with_requests_in_flight_as_the_broker_stops_leave_the_stop_clean()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var broker = await BrokerProcess.StartAsync();
            var topic = TestTopics.Unique("leaving");
            await Clients.CreateTopicAsync(broker, topic, partitions: 1);
            var request = new ProduceRequest
            {
                Acks = 1,
                TimeoutMs = 30_000,
                TopicData = [new ProduceRequest.TopicProduceData
                {
                    Name = topic,
                    PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = RecordBatchBuilder.BuildDense(new(), [Record.Create(null, new byte[100], 1_700_000_000_000)]) }],
                }],
            };
            var clients = new List<RawClient>();
            for (var c = 0; c < Connections; c++)
            {
                var client = await RawClient.ConnectAsync(broker.Port);
                clients.Add(client);
                for (var r = 0; r < RequestsEach; r++)
                {
                    await client.SendAsync(request, version: 7, correlationId: r);
                }
            }
            // The first answer proves the broker is serving them. Then half the clients go with their other requests
            // in flight, and the rest stay connected as the broker stops (its stop closes them).
            var (correlationId, _) = await clients[^1].ReceiveAsync();
            Assert.Equal(0, correlationId);
            clients.Take(Connections / 2).ToList().ForEach(c => c.Dispose());

            var exit = await broker.StopAsync();
            clients.ForEach(c => c.Dispose());

            Assert.True(exit == 0, $"round {round}: exit {exit}\n{broker.Output}");
            Assert.DoesNotContain("Unhandled", broker.Output);
        }
    }
}
