namespace FastLog.LoadGen.Kafka;

/// <summary>The run cannot start (no broker, a foreign advertised address, an unusable topic).</summary>
internal sealed class SetupException(string message) : Exception(message);
