using Repro.Cli;

StartupProfile.Start(args);
return await ReproApp.RunAsync(args, Console.Out, Console.Error);
