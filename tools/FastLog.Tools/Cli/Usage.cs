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
          group list [--state]
                The broker's consumer groups, one per line.
          group describe <group>
                Committed offset, log end offset, lag and owning member of each partition, like kafka-consumer-groups.
          group reset-offsets <group> --topic T[:P,...] --to-earliest|--to-latest|--to-offset N|--to-datetime T [--execute]
                Print new committed offsets for a group without members; commit them with --execute.
          profile probe [--data-dirs DIR,...] [--out FILE]
                Measure this host (cores, fdatasync latency, disk bandwidth) and write a hardware profile.

        Run 'fastlog log --help', 'fastlog group --help' or 'fastlog profile --help' for the options of each command.
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

    public const string Group = """
        Usage: fastlog group <list|describe|reset-offsets> [arguments] [--bootstrap-server host:port] [--timeout-ms N]

          Every group command talks to a broker over the Kafka protocol:
                --bootstrap-server host:port    the broker (default 127.0.0.1:9092)
                --timeout-ms N                  how long each request waits for it (default 10000)

          fastlog group list [--state]
                One group id per line, sorted; with --state a GROUP STATE table.

          fastlog group describe <group>
                The group's state, then one line per partition it owns or has committed:
                GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
                CURRENT-OFFSET and LAG are "-" where nothing is committed; the member columns are "-" for a
                partition no member owns. LOG-END-OFFSET is the high watermark.

          fastlog group reset-offsets <group> --topic T[:P,...] <target> [--execute]
                --topic T               every partition of T; T:0,2 only partitions 0 and 2
                --to-earliest           the log start offset
                --to-latest             the log end offset
                --to-offset N           N, moved into [log start, log end] with a warning if outside
                --to-datetime T         the first record at or after T (ISO-8601, like 2024-05-01T12:00:00Z; no zone
                                        means UTC), or the log end where every record is older
                --execute               commit the new offsets; without it nothing changes (a dry run)
                Prints GROUP TOPIC PARTITION NEW-OFFSET. Refused while the group has members (state not Empty).

        Exit codes: 0 success, 1 usage error, 2 unknown group or topic, group with members or offsets refused,
        3 broker unreachable or failing.
        """;

    public const string Profile = """
        Usage: fastlog profile probe [--data-dirs DIR,...] [--out FILE] [--name NAME] [--syncs N] [--bandwidth-mib N]

          Measures this host the way the broker uses it and writes a hardware profile for fastlog-server --profile:
                --data-dirs DIR,...   the data dirs to measure and list in the profile (default ./data); dirs on
                                      one block device become one device (one ring, one writer)
                --out FILE            where to write the profile (default: standard output)
                --name NAME           the profile's name (default: the file name, else the host name)
                --syncs N             4 KiB writes + fdatasync per measurement (default 500)
                --bandwidth-mib N     MiB written and read back per data dir for bandwidth (default 512)
          Per data dir: fdatasync latency after appending and after overwriting written blocks (p50, p99),
          sequential write and read bandwidth; and whether sendfile or read + send moves a cached file (up to
          256 MiB of it) to a loopback socket faster, which decides zero-copy fetch. A progress bar runs on
          standard error. runbook.md explains how each value of the profile follows from these figures.

        Exit codes: 0 success, 1 usage error or a data dir that cannot be written.
        """;
}
