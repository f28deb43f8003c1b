using Repro.Cli;

return await ReproApp.RunAsync(args, Console.Out, Console.Error);
