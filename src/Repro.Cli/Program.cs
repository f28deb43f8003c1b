using System.Runtime.InteropServices;
using Repro.Cli;
using Repro.Platform.Diagnostics;

if (Environment.GetEnvironmentVariable("REPRO_TIMINGS") is "1")
{
    PhaseTimings.Start(Console.Error);
    var sinceStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
    PhaseTimings.Mark($"Main reached, {sinceStart.TotalMilliseconds:0} ms after the process started");
}

StartupProfile.Start(args);

// The one place that reads the process: every command sees it through the context.
using var interrupts = new Interrupts();

// An interrupt while a command holds them keeps repro alive (the child gets the signal, stops,
// and its run is still recorded); otherwise the process ends as usual.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => signal.Cancel = interrupts.Interrupt());
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => signal.Cancel = interrupts.Interrupt());
var host = new CliContext(Console.Out, Console.Error, ProcessEnvironment.Variables(), Environment.CurrentDirectory)
{
    In = Console.In,
    OutStream = Console.OpenStandardOutput(),
    ErrorStream = Console.OpenStandardError(),
    OutIsTerminal = !Console.IsOutputRedirected,
    ErrorIsTerminal = !Console.IsErrorRedirected,
    Interrupts = interrupts,
};
return await ReproApp.RunAsync(args, host);
