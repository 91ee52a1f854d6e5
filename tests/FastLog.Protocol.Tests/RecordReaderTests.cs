using FastLog.Protocol.Records;

namespace FastLog.Protocol.Tests;

public class RecordReaderTests
{
    [Fact]
    public void Random_bytes_in_a_records_section_give_a_format_error_never_another_exception()
    {
        var random = new Random(99);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(1, 120)];
            random.NextBytes(bytes);
            try
            {
                var reader = new RecordReader(bytes);
                while (reader.TryRead(out _))
                {
                }
            }
            catch (RecordFormatException)
            {
            }
        }
    }

    [Fact]
    public void A_batch_whose_count_disagrees_with_its_records_is_a_format_error()
    {
        var batch = RecordBatchBuilder.BuildDense(new RecordBatchOptions(), RecordBatchRoundTripTests.SampleRecords(3));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchLayout.RecordsCount), 2);

        Assert.Throws<RecordFormatException>(() => RecordBatchReader.ReadRecords(batch));
    }
}
