namespace Repro.Server.Ui;

/// <summary>A filter the runs page cannot read: the page shows the message with 400.</summary>
internal sealed class RunsFilterException(string message) : Exception(message);
