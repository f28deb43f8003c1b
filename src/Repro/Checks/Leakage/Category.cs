namespace Repro.Checks.Leakage;

/// <summary>One distinct value of a column: how often it occurs in each split and with each target class in train.</summary>
internal sealed class Category(string text)
{
    public string Text { get; } = text;

    public long Train { get; set; }

    public long Test { get; set; }

    public long[] Classes { get; private set; } = [];

    public void CountClass(int index)
    {
        if (index >= Classes.Length)
        {
            var grown = Classes;
            Array.Resize(ref grown, Math.Max(index + 1, Classes.Length * 2));
            Classes = grown;
        }

        Classes[index]++;
    }
}
