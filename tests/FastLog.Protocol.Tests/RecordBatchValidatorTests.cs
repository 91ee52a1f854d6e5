using System.Buffers.Binary;
using FastLog.Protocol.Records;

namespace FastLog.Protocol.Tests;

public class RecordBatchValidatorTests
{
    private static byte[] ValidBatch() => RecordBatchBuilder.BuildDense(new RecordBatchOptions(), RecordBatchRoundTripTests.SampleRecords(10));

    [Fact]
    public void A_flipped_bit_anywhere_under_the_crc_is_detected()
    {
        var batch = ValidBatch();
        for (var position = RecordBatchLayout.CrcCoveredStart; position < batch.Length; position += 7)
        {
            var corrupt = (byte[])batch.Clone();
            corrupt[position] ^= 0x10;

            var validation = RecordBatchValidator.Validate(corrupt);

            Assert.False(validation.IsValid);
            Assert.Contains(validation.Error, new[] { BatchValidationError.CrcMismatch });
        }
    }

    [Fact]
    public void A_batch_cut_short_is_truncated()
    {
        var batch = ValidBatch();

        Assert.Equal(BatchValidationError.Truncated, RecordBatchValidator.Validate(batch.AsSpan(0, batch.Length - 1)).Error);
        Assert.Equal(BatchValidationError.Truncated, RecordBatchValidator.Validate(batch.AsSpan(0, 30)).Error);
    }

    [Fact]
    public void A_length_of_two_gibibytes_is_refused_without_reading_past_the_bytes()
    {
        var batch = ValidBatch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchLayout.BatchLength), int.MaxValue);
        Assert.Equal(BatchValidationError.InvalidLength, RecordBatchValidator.Validate(batch).Error);

        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchLayout.BatchLength), 1 << 30);
        Assert.Equal(BatchValidationError.Truncated, RecordBatchValidator.Validate(batch).Error);
        Assert.Equal(BatchValidationError.InvalidLength, RecordBatchValidator.Validate(batch, maxBatchBytes: 1_000_000).Error);
    }

    [Fact]
    public void A_negative_or_tiny_length_is_invalid()
    {
        var batch = ValidBatch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchLayout.BatchLength), -5);
        Assert.Equal(BatchValidationError.InvalidLength, RecordBatchValidator.Validate(batch).Error);

        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchLayout.BatchLength), 20);
        Assert.Equal(BatchValidationError.InvalidLength, RecordBatchValidator.Validate(batch).Error);
    }

    [Fact]
    public void Magic_other_than_two_is_unsupported()
    {
        var batch = ValidBatch();
        batch[RecordBatchLayout.Magic] = 1;

        Assert.Equal(BatchValidationError.UnsupportedMagic, RecordBatchValidator.Validate(batch).Error);
    }

    [Fact]
    public void Record_count_must_match_last_offset_delta_for_a_producer_batch()
    {
        var batch = ValidBatch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchLayout.LastOffsetDelta), 20);
        RecordBatchBuilder.RewriteCrc(batch);

        Assert.Equal(BatchValidationError.InvalidRecordCount, RecordBatchValidator.Validate(batch).Error);
        Assert.True(RecordBatchValidator.Validate(batch, requireDenseOffsets: false).IsValid); // a compacted batch may have gaps
    }

    [Fact]
    public void A_record_count_that_cannot_fit_the_bytes_is_invalid()
    {
        var batch = ValidBatch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchLayout.RecordsCount), 1_000_000);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchLayout.LastOffsetDelta), 999_999);
        RecordBatchBuilder.RewriteCrc(batch);

        Assert.Equal(BatchValidationError.InvalidRecordCount, RecordBatchValidator.Validate(batch).Error);
    }

    [Fact]
    public void An_unknown_codec_is_refused()
    {
        var batch = ValidBatch();
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchLayout.Attributes), 5);
        RecordBatchBuilder.RewriteCrc(batch);

        Assert.Equal(BatchValidationError.UnknownCompression, RecordBatchValidator.Validate(batch).Error);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            var validation = RecordBatchValidator.Validate(bytes);
            Assert.False(validation.IsValid);
        }
    }
}
