namespace Repro.Blobs.Storage.Search;

/// <summary>One lexeme of a filter or order_by string; <see cref="Value"/> is a quoted token's content, unescaped.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Raw, string Value, int Position);
