namespace Repro.Cli.Rendering;

/// <summary>Colours only for a terminal, and never when NO_COLOR is set.</summary>
public static class Terminal
{
    public static bool ErrorIsTerminal => !Console.IsErrorRedirected;

    public static bool OutputIsTerminal => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    private static bool Colour => ErrorIsTerminal && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public static void Error(TextWriter writer, string message) =>
        writer.WriteLine(Colour && ReferenceEquals(writer, Console.Error) ? $"\u001b[31mrepro: {message}\u001b[0m" : $"repro: {message}");

    public static void Warning(TextWriter writer, string message) =>
        writer.WriteLine(Colour && ReferenceEquals(writer, Console.Error) ? $"\u001b[33mrepro: warning: {message}\u001b[0m" : $"repro: warning: {message}");

    public static void Note(TextWriter writer, string message) => writer.WriteLine($"repro: {message}");
}
