
namespace Repro.Storage.Sql.Search;

/// <summary>How a sort key's value is read back and written into a page token.</summary>
internal enum SqlValueType
{
    Text,
    Real,
    Integer,
}
