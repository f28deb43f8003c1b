namespace Repro.Execution;

/// <summary>The controller did not answer a query: a waiter retries, since the jobs go on regardless.</summary>
public sealed class SlurmUnavailableException(string message) : Exception(message);
