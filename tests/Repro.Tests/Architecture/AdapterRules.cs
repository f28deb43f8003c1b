using System.Text.RegularExpressions;

namespace Repro.Tests.Architecture;

/// <summary>
/// The ports rule of docs/architecture.md: the core (src/Repro) references no database driver, no
/// cloud SDK and no adapter project; the web server reaches storage through the ports only, never
/// the SQL adapter or ADO.NET types.
/// </summary>
public static partial class AdapterRules
{
    /// <summary>Every package or project of <paramref name="csproj"/> the core must not reference.</summary>
    public static IReadOnlyList<string> CoreReferenceViolations(string csproj) =>
        References(csproj)
            .Where(r => (r.Kind == "PackageReference" && ForbiddenPackage().IsMatch(r.Name)) || (r.Kind == "ProjectReference" && IsAdapterProject(r.Name)))
            .Select(r => $"Repro.csproj: {r.Kind} {r.Name}")
            .ToList();

    /// <summary>Every reference of the server's project to the SQL adapter, and every line of its source that uses SQL types.</summary>
    public static IReadOnlyList<string> ServerViolations(string csproj, IEnumerable<(string Path, string Text)> files)
    {
        var found = References(csproj)
            .Where(r => r.Kind == "ProjectReference" && r.Name.EndsWith("Repro.Storage.Sql.csproj", StringComparison.Ordinal))
            .Select(r => $"Repro.Server.csproj: {r.Kind} {r.Name}")
            .ToList();
        foreach (var (path, text) in files)
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                if (SqlType().Match(line) is { Success: true } use)
                {
                    found.Add($"{path}:{i + 1}: {use.Value}");
                }
            }
        }

        return found;
    }

    private static bool IsAdapterProject(string path) =>
        path.EndsWith(".csproj", StringComparison.Ordinal)
        && (Path.GetFileName(path).StartsWith("Repro.Storage.", StringComparison.Ordinal) || Path.GetFileName(path).StartsWith("Repro.Remotes.", StringComparison.Ordinal));

    private static IEnumerable<(string Kind, string Name)> References(string csproj) =>
        Reference().Matches(csproj).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    [GeneratedRegex(@"<(PackageReference|ProjectReference)\s+Include=""([^""]+)""")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^(Microsoft\.Data\.Sqlite|Microsoft\.Data\.SqlClient|System\.Data\.SqlClient|System\.Data\.SQLite|Npgsql|SQLitePCLRaw|Dapper|Microsoft\.EntityFrameworkCore|MySql|AWSSDK|Amazon|Azure\.Storage|Google\.Cloud)", RegexOptions.IgnoreCase)]
    private static partial Regex ForbiddenPackage();

    [GeneratedRegex(@"\bSystem\.Data\b|\bDb(Connection|Command|DataReader|Transaction|Parameter|DataSource|Exception)\b|\bNpgsql\w*|\bSqlite\w*|\bSqlDatabase\b|\bRepro\.Storage\.Sql\b")]
    private static partial Regex SqlType();
}
