using System.Text.Json.Serialization;

namespace FastLog.Broker.Metadata;

/// <summary>Source-generated JSON for the metadata file: no reflection, and a stable, readable layout.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EmbeddedMetadataStore.State))]
internal sealed partial class MetadataJson : JsonSerializerContext;
