namespace Repro.Blobs.Storage.Search;

internal enum FilterTokenKind
{
    /// <summary>A bare word: an identifier part or a keyword (AND, LIKE, IN, NOT, ASC, ...).</summary>
    Word,

    /// <summary>'single quoted': always a string value.</summary>
    String,

    /// <summary>"double quoted": a quoted key after a dot, a string value on the right.</summary>
    DoubleQuoted,

    /// <summary>`backticked`: a quoted key.</summary>
    Backticked,
    Number,
    Operator,
    Dot,
    Comma,
    OpenParen,
    CloseParen,
    End,
}
