using FastLog.TestSupport;
using System.Diagnostics;

namespace FastLog.Broker.Tests.Support;

/// <summary>Runs Debian's kcat (librdkafka 2.0.2) as a real process; test.sh installs it.</summary>
public static class Kcat
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr);

    public static Task<Result> RunAsync(BrokerProcess broker, IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? timeout = null) =>
        RunAsync(broker.BootstrapServers, arguments, stdin, timeout);

    public static async Task<Result> RunAsync(string bootstrapServers, IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("kcat")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-b");
        start.ArgumentList.Add(bootstrapServers);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kcat is not installed; ./test.sh installs it (apt-get install kcat)", e);
        }
        using (process)
        {
            var stdout = new MemoryStream();
            var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var readErr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin);
            }
            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kcat {string.Join(' ', arguments)} did not finish; stderr: {await readErr}");
            }
            await copyOut;
            return new Result(process.ExitCode, stdout.ToArray(), await readErr);
        }
    }
}
