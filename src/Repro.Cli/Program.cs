using Repro.Cli;
using Repro.Platform.Diagnostics;

if (Environment.GetEnvironmentVariable("REPRO_TIMINGS") is "1")
{
    PhaseTimings.Start(Console.Error);
    var sinceStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
    PhaseTimings.Mark($"Main reached, {sinceStart.TotalMilliseconds:0} ms after the process started");
}

StartupProfile.Start(args);
return await ReproApp.RunAsync(args, Console.Out, Console.Error);
