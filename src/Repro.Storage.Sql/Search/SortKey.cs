
namespace Repro.Storage.Sql.Search;

/// <summary>One ORDER BY term: a SQL expression over the run (no user text in it), its direction, and whether it can be NULL (NULLs sort last, as in MLflow).</summary>
internal sealed record SortKey(string Expression, bool Ascending, bool Nullable, SqlValueType Type);
