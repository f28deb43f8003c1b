namespace Repro.Cli.Rendering;

/// <summary>The one-line messages on stderr: red errors and yellow warnings only on a terminal, never when NO_COLOR is set.</summary>
public static class Terminal
{
    public static void Error(CliContext context, string message) => Error(context.Error, context.ErrorColour, message);

    public static void Warning(CliContext context, string message) => Warning(context.Error, context.ErrorColour, message);

    public static void Note(CliContext context, string message) => Note(context.Error, message);

    public static void Error(TextWriter writer, bool colour, string message) =>
        writer.WriteLine(colour ? $"\u001b[31mrepro: {message}\u001b[0m" : $"repro: {message}");

    public static void Warning(TextWriter writer, bool colour, string message) =>
        writer.WriteLine(colour ? $"\u001b[33mrepro: warning: {message}\u001b[0m" : $"repro: warning: {message}");

    public static void Note(TextWriter writer, string message) => writer.WriteLine($"repro: {message}");
}
