using System.Collections;
using FastLog.MessageGenerator;
using FastLog.Protocol.Messages;

namespace FastLog.Protocol.Tests.Messages;

/// <summary>
/// Fills generated messages through reflection with values that differ from every default, for the fields a
/// version has, and compares two messages field by field. Values are deterministic: a counter gives each field
/// its own number, so a field read into the wrong property shows up as a mismatch.
/// </summary>
internal sealed class MessageValues
{
    private static readonly Guid FixedUuid = new("0123456789abcdef0123456789abcdef");
    private int _next;

    public void Fill(object target, IReadOnlyList<FieldDefinition> fields, short version)
    {
        foreach (var field in fields.Where(f => f.Versions.Has(version)))
        {
            var property = target.GetType().GetProperty(field.Name)!;
            property.SetValue(target, Value(field, property.PropertyType, property.GetValue(target), version));
        }
    }

    public static void AssertSame(object expected, object actual, IReadOnlyList<FieldDefinition> fields, short version, string path)
    {
        foreach (var field in fields.Where(f => f.Versions.Has(version)))
        {
            var property = expected.GetType().GetProperty(field.Name)!;
            AssertSameValue(field, property.GetValue(expected), property.GetValue(actual), version, $"{path}.{field.Name}");
        }
    }

    private object? Value(FieldDefinition field, Type type, object? current, short version)
    {
        var n = ++_next;
        // Every third nullable field is null, so both encodings of each nullable field get exercised somewhere.
        if (field.Nullable.Has(version) && n % 3 == 0)
        {
            return null;
        }
        if (field.IsArray)
        {
            var list = (IList)Activator.CreateInstance(type)!;
            for (var i = 0; i < 2; i++)
            {
                list.Add(field.IsStruct ? Struct(field, type.GetGenericArguments()[0], version) : Primitive(field.ElementType, ++_next, null));
            }
            return list;
        }
        return field.IsStruct ? Struct(field, Nullable.GetUnderlyingType(type) ?? type, version) : Primitive(field.Type, n, current);
    }

    private object Struct(FieldDefinition field, Type type, short version)
    {
        var value = Activator.CreateInstance(type)!;
        Fill(value, field.Children, version);
        return value;
    }

    private static object Primitive(string type, int n, object? current) => type switch
    {
        "int8" => (sbyte)(n % 120 + 1),
        "int16" => (short)n,
        "int32" => n,
        "int64" => n + 1_000L,
        "uint16" => (ushort)n,
        "uint32" => (uint)n,
        "float64" => n + 0.5,
        "bool" => current is not true,
        "string" => $"s{n}",
        "bytes" => new byte[] { (byte)n, (byte)(n >> 8), 0xAB },
        "records" => new RecordsPayload(new byte[] { 0xCD, (byte)n, (byte)(n >> 8), 0xEF }),
        "uuid" => FixedUuid,
        _ => throw new ArgumentException($"unknown type {type}", nameof(type)),
    };

    private static void AssertSameValue(FieldDefinition field, object? expected, object? actual, short version, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, read {actual ?? "null"}");
            return;
        }
        if (field.IsArray)
        {
            var want = (IList)expected;
            var got = (IList)actual;
            Assert.True(want.Count == got.Count, $"{path}: expected {want.Count} elements, read {got.Count}");
            for (var i = 0; i < want.Count; i++)
            {
                if (field.IsStruct)
                {
                    AssertSame(want[i]!, got[i]!, field.Children, version, $"{path}[{i}]");
                }
                else
                {
                    Assert.True(Equals(want[i], got[i]), $"{path}[{i}]: expected {want[i]}, read {got[i]}");
                }
            }
            return;
        }
        switch (expected)
        {
            case byte[] bytes:
                Assert.True(bytes.AsSpan().SequenceEqual((byte[])actual), $"{path}: bytes differ");
                break;
            case RecordsPayload records:
                // RecordsPayload holds Memory, which compares by reference: compare the bytes.
                Assert.True(records.Memory.Span.SequenceEqual(((RecordsPayload)actual).Memory.Span), $"{path}: records differ");
                break;
            default:
                if (field.IsStruct)
                {
                    AssertSame(expected, actual, field.Children, version, path);
                }
                else
                {
                    Assert.True(Equals(expected, actual), $"{path}: expected {expected}, read {actual}");
                }
                break;
        }
    }
}
