using FastLog.MessageGenerator;
using FastLog.Protocol.Messages;

namespace FastLog.Protocol.Tests.Messages;

/// <summary>
/// Requests come from the network: whatever the bytes, decoding must end, and end either with a message or with
/// a ProtocolException (which closes the connection), never with another exception that would escape the
/// connection's handling, and never by allocating what a hostile length asks for.
/// </summary>
public class HostileInputTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Requests() => [.. GeneratedMessages.All.Where(m => m.Kind == "request").Select(m => m.Name)];

    public static TheoryData<string> RequestsWithArrays() =>
        [.. GeneratedMessages.All.Where(m => m.Kind == "request" && FirstArray(m) is not null).Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Random_and_mutated_bytes_decode_or_throw_ProtocolException(string name)
    {
        var definition = GeneratedMessages.Named(name);
        var version = (short)definition.Versions.High;
        var valid = ValidEncoding(definition, version);
        var random = new Random(definition.ApiKey);

        var failures = await Task.Run(() =>
        {
            var found = new List<string>();
            for (var i = 0; i < 300; i++)
            {
                var bytes = new byte[random.Next(0, 96)];
                random.NextBytes(bytes);
                Check(definition, bytes, version, mustFail: false, $"random #{i}", found);
            }
            for (var i = 0; i < 300; i++)
            {
                // Mutations of a valid encoding get past the first length and reach the nested fields.
                var bytes = (byte[])valid.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
                Check(definition, bytes, version, mustFail: false, $"mutation #{i}", found);
            }
            return found;
        }).WaitAsync(Limit);

        Assert.Empty(failures);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_truncation_of_a_valid_encoding_throws_ProtocolException(string name)
    {
        var definition = GeneratedMessages.Named(name);
        var version = (short)definition.Versions.High;
        var valid = ValidEncoding(definition, version);

        var failures = await Task.Run(() =>
        {
            var found = new List<string>();
            for (var length = 0; length < valid.Length; length++)
            {
                Check(definition, valid.AsMemory(0, length), version, mustFail: true, $"first {length} of {valid.Length} bytes", found);
            }
            return found;
        }).WaitAsync(Limit);

        Assert.Empty(failures);
    }

    [Theory]
    [MemberData(nameof(RequestsWithArrays))]
    public void An_array_count_of_int_max_throws_ProtocolException_without_allocating_the_array(string name)
    {
        var definition = GeneratedMessages.Named(name);
        var version = (short)definition.Versions.High;
        var flexible = definition.Flexible.Has(version);
        var array = FirstArray(definition)!;

        // Two encodings that differ only in the first array's count (0 and 1) show where that count is:
        // at the first differing byte in the compact form, three bytes before it in the int32 form.
        var empty = GeneratedMessages.Encode(WithFirstArray(definition, array, elements: 0), version);
        var one = GeneratedMessages.Encode(WithFirstArray(definition, array, elements: 1), version);
        var differs = empty.AsSpan().CommonPrefixLength(one);
        var at = flexible ? differs : differs - 3;
        byte[] huge = flexible ? [0x80, 0x80, 0x80, 0x80, 0x08] : [0x7F, 0xFF, 0xFF, 0xFF]; // 2^31 - 1 elements
        byte[] hostile = [.. empty.AsSpan(0, at), .. huge, .. empty.AsSpan(at + (flexible ? 1 : 4))];

        var before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Record.Exception(() => GeneratedMessages.Decode(definition, hostile, version, out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsType<ProtocolException>(exception);
        Assert.True(allocated < 1 << 20, $"decoding allocated {allocated} bytes");
    }

    private static void Check(MessageDefinition definition, ReadOnlyMemory<byte> bytes, short version, bool mustFail, string what, List<string> failures)
    {
        try
        {
            GeneratedMessages.Decode(definition, bytes, version, out _);
            if (mustFail)
            {
                failures.Add($"{what}: decoded without error");
            }
        }
        catch (ProtocolException)
        {
        }
        catch (Exception e)
        {
            failures.Add($"{what}: {e.GetType().Name}: {e.Message}");
        }
    }

    private static byte[] ValidEncoding(MessageDefinition definition, short version)
    {
        var message = GeneratedMessages.Create(definition);
        new MessageValues().Fill(message, definition.Fields, version);
        return GeneratedMessages.Encode(message, version);
    }

    private static FieldDefinition? FirstArray(MessageDefinition definition) =>
        definition.Fields.FirstOrDefault(f => f.IsArray && !f.IsTagged && f.Versions.Has((short)definition.Versions.High));

    /// <summary>A message at its defaults, but for the first array, which gets the given number of default elements.</summary>
    private static IMessage WithFirstArray(MessageDefinition definition, FieldDefinition array, int elements)
    {
        var message = GeneratedMessages.Create(definition);
        var property = message.GetType().GetProperty(array.Name)!;
        var list = (System.Collections.IList)Activator.CreateInstance(property.PropertyType)!;
        for (var i = 0; i < elements; i++)
        {
            var elementType = property.PropertyType.GetGenericArguments()[0];
            list.Add(elementType == typeof(string) ? "" : Activator.CreateInstance(elementType));
        }
        property.SetValue(message, list);
        return message;
    }
}
