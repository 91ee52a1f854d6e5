using System.Runtime.InteropServices;
using FastLog.Broker;
using FastLog.Broker.Configuration;
using FastLog.Broker.Profiles;
using FastLog.Server;

// The broker host: config -> running broker -> clean stop on SIGTERM or Ctrl+C (exit code 0).
InlineSocketCompletions.EnableUnlessSet();
ServerArguments arguments;
BrokerConfig config;
try
{
    arguments = ServerArguments.Parse(args);
    if (arguments.Help)
    {
        Console.WriteLine(ServerArguments.Usage);
        return 0;
    }
    var profile = arguments.Profile is null ? null : HardwareProfiles.Load(arguments.Profile);
    config = BrokerConfigLoader.Load(arguments.PropertiesFile, arguments.Overrides, profile);
    if (profile is not null)
    {
        HostCheck.Run(profile, config.LogDirs, Environment.ProcessorCount);
    }
}
catch (Exception e) when (e is ConfigException or ArgumentException or IOException or ProfileException)
{
    Console.Error.WriteLine($"fastlog-server: {e.Message}");
    if (e is ArgumentException)
    {
        Console.Error.WriteLine(ServerArguments.Usage); // the command line itself was wrong
    }
    return 2;
}

static void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {line}");

foreach (var key in config.UnknownKeys)
{
    Log($"warning: unknown setting '{key}' is ignored");
}
if (arguments.Profile is not null)
{
    if (GcModeRelaunch.RelaunchIfNeeded(config.Profile.Gc) is { } warning)
    {
        Log(warning);
    }
    Log($"hardware profile {config.Profile.Name}: {config.Profile.Devices.Count} device(s), ring {config.Profile.Ring.Size} slots ({config.Profile.Ring.WaitStrategy}), flush {FlushPolicies.Name(config.Profile.Flush.Policy)}");
    foreach (var line in ProfileRuntime.Apply(config.Profile))
    {
        Log(line);
    }
}

KafkaBroker broker;
try
{
    broker = KafkaBroker.Start(config, Log);
}
catch (Exception e) when (e is IOException or InvalidDataException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"fastlog-server: cannot start: {e.Message}");
    return 1;
}

var stop = new TaskCompletionSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });

if (broker.MetricsEndPoint is { } metrics)
{
    Log($"metrics on http://{metrics}/metrics");
}

var listening = string.Join(", ", broker.BoundEndPoints.Select(b => $"{b.Name}://{b.EndPoint}"));
var advertised = string.Join(", ", broker.Services.Advertised.Select(a => $"{a.Name}://{a.Host}:{a.Port}"));
Console.WriteLine($"FastLog broker {config.NodeId} ready: listening on {listening}, advertised as {advertised} (cluster {broker.Services.Metadata.ClusterId}, data in {string.Join(", ", config.LogDirs)})");

await stop.Task.ConfigureAwait(false);
Log("stopping: flushing and checkpointing logs");
try
{
    await broker.DisposeAsync().ConfigureAwait(false);
}
catch (Exception e)
{
    // Say what failed, with where, and exit non-zero instead of aborting: what was acknowledged is on disk, and a
    // log that was not closed cleanly is recovered at the next start as after a crash.
    Log($"stopping failed: {e}");
    return 1;
}
Log("stopped cleanly");
return 0;
