using FastLog.Tools.Commands;

// A dump can print millions of lines: buffer stdout instead of flushing each one.
using var output = new StreamWriter(Console.OpenStandardOutput(), bufferSize: 64 * 1024) { AutoFlush = false };
return RootCommand.Run(args, output, Console.Error);
