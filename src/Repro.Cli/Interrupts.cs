namespace Repro.Cli;

/// <summary>
/// Ctrl+C and SIGTERM as a token. A command that must finish cleanly when interrupted (record the
/// run, report the verdict so far) holds the interrupts while it works; while nothing holds them an
/// interrupt ends the process as it always does. The native program feeds the signals in; an
/// in-process host calls <see cref="Interrupt"/>.
/// </summary>
public sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private int _holders;

    /// <summary>Cancelled by the first interrupt that arrives while a command holds them.</summary>
    public CancellationToken Token => _source.Token;

    public bool IsRequested => _source.IsCancellationRequested;

    /// <summary>Keeps the process alive on an interrupt until the returned scope is disposed; the command watches <see cref="Token"/>.</summary>
    public IDisposable Hold()
    {
        Interlocked.Increment(ref _holders);
        return new Holder(this);
    }

    /// <summary>An interrupt from the host: true when a command holds the interrupts and was told, false when the host should stop the process itself.</summary>
    public bool Interrupt()
    {
        if (Volatile.Read(ref _holders) == 0)
        {
            return false;
        }

        _source.Cancel();
        return true;
    }

    public void Dispose() => _source.Dispose();

    private sealed class Holder(Interrupts owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref owner._holders);
            }
        }
    }
}
