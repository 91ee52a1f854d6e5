using BenchmarkDotNet.Running;

// BenchmarkDotNet's own arguments pass through: --filter '*Crc*', --list flat, --inProcess, ...
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
