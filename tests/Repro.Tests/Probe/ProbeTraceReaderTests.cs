using System.Text;
using Repro.Capture.Probe;

namespace Repro.Tests.Probe;

/// <summary>Reading a trace as a notebook run writes it: a launcher that execs itself, then a kernel child.</summary>
public sealed class ProbeTraceReaderTests
{
    // `jupyter nbconvert` execs jupyter-nbconvert in the same process (a second start, seq back to 0),
    // which starts the kernel; only the kernel imports NumPy and fits.
    private static readonly string[] Notebook =
    [
        """{"t":"start","ppid":1,"every":100,"budget":1024,"pid":10,"seq":0}""",
        """{"t":"rng","lib":"random","state":"r10","pid":10,"seq":1}""",
        """{"t":"start","ppid":1,"every":100,"budget":1024,"pid":10,"seq":0}""",
        """{"t":"rng","lib":"random","state":"r10","pid":10,"seq":1}""",
        """{"t":"start","ppid":10,"every":100,"budget":1024,"pid":20,"seq":0}""",
        """{"t":"rng","lib":"random","state":"r20","pid":20,"seq":1}""",
        """{"t":"rng","lib":"numpy","state":"n20","pid":20,"seq":2}""",
        """{"t":"call","call":"SGDClassifier.fit","cls":"sklearn.linear_model.SGDClassifier","depth":0,"in":{},"out":[],"pid":20,"seq":3}""",
        """{"t":"end","events":4,"bytes":10,"dropped_events":0,"dropped_bytes":0,"pid":20,"seq":4}""",
        """{"t":"end","events":2,"bytes":10,"dropped_events":0,"dropped_bytes":0,"pid":10,"seq":2}""",
    ];

    private static ProbeTrace Read(IEnumerable<string> lines) => ProbeTraceReader.Parse(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    [Fact]
    public void A_process_that_execs_another_Python_stays_one_process_and_its_kernel_is_the_next()
    {
        var trace = Read(Notebook);
        Assert.Equal(2, trace.Record.Processes);
        var call = Assert.Single(trace.Calls);
        Assert.Equal(1, call.Process);
        Assert.Equal(0, call.Position);
    }

    [Fact]
    public void Rng_starts_take_each_library_from_the_first_process_that_imported_it()
    {
        var starts = Read(Notebook).Record.RngStarts.ToDictionary(s => s.Library, s => s.State);
        Assert.Equal("r10", starts["random"]);
        Assert.Equal("n20", starts["numpy"]);
    }

    [Fact]
    public void Rng_starts_of_a_trace_without_any_are_empty()
    {
        Assert.Empty(Read(["""{"t":"start","pid":1,"seq":0}"""]).Record.RngStarts);
        Assert.Empty(ProbeTraceReader.Parse([]).Record.RngStarts);
    }
}
