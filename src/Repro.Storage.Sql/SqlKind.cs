namespace Repro.Storage.Sql;

/// <summary>The database engines a store can live in.</summary>
public enum SqlKind
{
    Sqlite,
    Postgres,
}
