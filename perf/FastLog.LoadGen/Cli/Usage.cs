namespace FastLog.LoadGen.Cli;

/// <summary>The --help text.</summary>
internal static class Usage
{
    public const string Text = """
        Usage: dotnet run -c Release --project perf/FastLog.LoadGen -- <workload> [options]

        Load generator for any Kafka-protocol broker (librdkafka clients). It talks only to --bootstrap, and stops
        by itself after --warmup + --duration, plus a bounded drain: at most 35 s for messages still in flight and,
        end-to-end, at most 60 s for the consumer to catch up.

        Workloads:
          produce-max    produce as fast as the client and broker allow; latency = Produce() call to delivery report
          produce-rate   produce --rate messages/s on a fixed schedule; latency = intended send time to delivery
                         report, so a stall counts for every message it delayed (no coordinated omission)
          end-to-end     produce (as fast as possible, or at --rate) and consume the same topic;
                         latency = the record's produce timestamp to the moment the consumer receives it
          consume        read the topic from the beginning to its end; needs --messages N (preloaded first)
                         or an existing --topic

        Options:
          --bootstrap HOST:PORT   the broker (default 127.0.0.1:9092); one address, never a list
          --topic NAME            use this existing topic (default: create loadgen-<random> and delete it after)
          --partitions N          partitions of the fresh topic (default 1); replication factor is always 1
          --keep-topic            keep the fresh topic after the run
          --record-bytes N        value size of each record, no key (default 100)
          --producers N           producer clients, one sending thread each (default 1)
          --acks 0|1|all          (default 1)
          --compression C         none|gzip|snappy|lz4|zstd (default none)
          --linger-ms N           librdkafka linger.ms (default 1)
          --batch-bytes N         librdkafka batch.size (default: the client's)
          --duration S            measured seconds (default 30)
          --warmup S              seconds run first and left out of the figures (default 5)
          --rate R                messages/s over all producers (produce-rate: required; end-to-end: optional)
          --messages N            consume: messages to produce into the topic before reading it
          --json FILE             write the results as JSON
          --baseline FILE         compare with an earlier run's --json results (same workload and client options):
                                  exit 4 when the p99 rose, or the throughput of an unpaced run fell, by more
                                  than --max-regression
          --max-regression PCT    the tolerance of --baseline in percent (default 10)
          --plot FILE.html        write a self-contained latency-by-percentile plot (HTML with inline SVG)
          --broker-metrics URL    the broker's GET /metrics (metrics.listener), read before and after: reports its
                                  CPU seconds, mean writer batch, allocated bytes per message and GC counts
          --fsync-dir DIR         a folder on the broker's data disk: fdatasync p50/p99 measured before and after
                                  the run; produce-rate reports whether its p99 is within that p99 + 0.5 ms
          -h, --help              this text

        Figures: msgs/s and MB/s (10^6 bytes of record values per second) over the measured window; latency
        percentiles from an HdrHistogram (1 us to 60 s, 3 significant digits). One progress line per second.

        Exit codes: 0 success, 1 a message failed or was never acknowledged (or never consumed, end-to-end),
        2 bad command line, 3 could not start (no broker, foreign advertised address, unusable topic), 4 slower than
        --baseline allows.

        Examples:
          ... -- produce-max --duration 10 --record-bytes 1024 --json max.json --plot max.html
          ... -- produce-rate --rate 5000 --acks all
          ... -- end-to-end --rate 1000 --partitions 4
          ... -- consume --messages 5000000 --warmup 0
        """;
}
