namespace FastLog.Tools.Cli;

/// <summary>The help texts.</summary>
internal static class Usage
{
    public const string Root = """
        Usage: fastlog <command> [arguments]

        Commands:
          log dump <file> [--records] [--max-batches N]
                Print the batches of a segment (.log) like kafka-dump-log, or the entries of a .index / .timeindex.
          log verify <partition-dir|data-dir>
                Check every batch and index entry, read-only. Exit 0 when clean, 2 on the first problem.
          log sample <dir> [options]
                Write a sample data dir (topic "sample") and close it cleanly.

        Run 'fastlog log --help' for the options of each command.
        """;

    public const string Log = """
        Usage: fastlog log <dump|verify|sample> [arguments]

          fastlog log dump <segment.log|file.index|file.timeindex> [--records] [--max-batches N]
                One line per batch: offsets, position, size, codec, CRC and producer fields.
                --records          also one line per record after its batch ("| offset: ...")
                --max-batches N    stop after N batches
                A corrupt batch prints "corrupt batch at position P (offset X): reason" and exits 1.

          fastlog log verify <partition-dir|data-dir>
                Reads the files directly, never recovering or changing them. A folder holding .log files is
                checked as one partition; any other folder as a data dir of partition folders.
                Prints a summary and exits 0, or "FAILED: <file> <kind> offset <O> position <P>: <reason>" and exits 2.

          fastlog log sample <dir> [--partitions N] [--batches N] [--records-per-batch N]
                                   [--compression none|gzip|snappy|lz4|zstd] [--segment-bytes N]
                Appends batches of records (keys key-<i>, values, headers, timestamps) to topic "sample" in the
                data dir <dir>, creating it if needed. Defaults: 1 partition, 100 batches of 10 records,
                no compression, 32768-byte segments (so the sample has rolled segments).

        Exit codes: 0 success, 1 usage error or corrupt batch in dump, 2 verification failed.
        """;
}
