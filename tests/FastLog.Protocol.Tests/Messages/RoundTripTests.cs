namespace FastLog.Protocol.Tests.Messages;

/// <summary>Every generated request and response, in every version it implements: write, read, write again.</summary>
public class RoundTripTests
{
    public static TheoryData<string, short> MessagesAndVersions()
    {
        var data = new TheoryData<string, short>();
        foreach (var message in GeneratedMessages.All)
        {
            for (var version = message.Versions.Low; version <= message.Versions.High; version++)
            {
                data.Add(message.Name, (short)version);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MessagesAndVersions))]
    public void Message_reads_back_what_was_written(string name, short version)
    {
        var definition = GeneratedMessages.Named(name);
        var original = GeneratedMessages.Create(definition);
        new MessageValues().Fill(original, definition.Fields, version);

        var bytes = GeneratedMessages.Encode(original, version);
        var decoded = GeneratedMessages.Decode(definition, bytes, version, out var consumed);

        Assert.Equal(bytes.Length, consumed);
        MessageValues.AssertSame(original, decoded, definition.Fields, version, name);
        Assert.Equal(bytes, GeneratedMessages.Encode(decoded, version));
    }
}
