using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Repro.Catalog;
using Repro.Model.Serialization;

namespace Repro.Tests;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Keys_are_sorted_ordinally_at_every_level_without_whitespace()
    {
        var node = JsonNode.Parse("""{"b": 1, "a": {"z": [3, {"y": 1, "x": 2}], "B": true}, "é": "ü"}""");
        var text = Encoding.UTF8.GetString(CanonicalJson.Write(node));
        Assert.Equal("""{"a":{"B":true,"z":[3,{"x":2,"y":1}]},"b":1,"é":"ü"}""", text);
    }

    [Fact]
    public async Task Preparing_the_stored_records_beside_a_real_call_leaves_the_canonical_bytes_unchanged()
    {
        var manifest = RunStoreContract.Manifest("prepared");
        var prepared = Task.WhenAll(
            CanonicalJson.PrepareInBackground(typeof(Repro.Model.RunManifest)),
            CanonicalJson.PrepareInBackground(typeof(Repro.Model.Verdicts.VerificationReport)));
        var during = CanonicalJson.Serialize(manifest);
        await prepared;
        Assert.Equal(during, CanonicalJson.Serialize(manifest));
        Assert.Equal(manifest.Id, CanonicalJson.Deserialize<Repro.Model.RunManifest>(Encoding.UTF8.GetString(during)).Id);
    }

    /// <summary>
    /// Every document type has compile-time metadata for its whole graph (a missing one would fail
    /// at its first use in the native build), and every enum in it travels as its name.
    /// </summary>
    [Fact]
    public void Every_document_type_resolves_without_reflection_and_writes_its_enums_as_names()
    {
        var roots = typeof(ReproJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToList();
        Assert.Contains(typeof(Repro.Model.RunManifest), roots);
        var enums = roots.SelectMany(CanonicalJson.TypesReachedFrom).Where(t => t.IsEnum).Distinct().ToList();
        Assert.NotEmpty(enums);
        foreach (var type in enums)
        {
            var value = Enum.GetValues(type).GetValue(0);
            var json = JsonSerializer.Serialize(value, CanonicalJson.Options.GetTypeInfo(type));
            Assert.True(json.StartsWith('"'), $"{type.Name} is written as {json}, not as its name");
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0 / 3.0)]
    [InlineData(1e-300)]
    [InlineData(123456789.123456789)]
    [InlineData(-0.0000012345678901234567)]
    public void Doubles_round_trip_exactly(double value)
    {
        var bytes = CanonicalJson.Serialize(new Dictionary<string, double> { ["v"] = value });
        var back = CanonicalJson.Deserialize<Dictionary<string, double>>(Encoding.UTF8.GetString(bytes));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(back["v"]));
    }

    [Fact]
    public void NaN_and_infinities_survive_as_named_literals()
    {
        var bytes = CanonicalJson.Serialize(new Dictionary<string, double> { ["nan"] = double.NaN, ["inf"] = double.PositiveInfinity });
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Equal("""{"inf":"Infinity","nan":"NaN"}""", text);
        var back = CanonicalJson.Deserialize<Dictionary<string, double>>(text);
        Assert.True(double.IsNaN(back["nan"]));
    }

    [Fact]
    public void The_same_record_gives_the_same_bytes_and_names_are_snake_case()
    {
        var record = new Repro.Model.ArtifactRecord { Path = "data/x.csv", Kind = Repro.Model.ArtifactKind.File, Sha256 = new string('a', 64), Size = 3, Cached = true };
        var first = CanonicalJson.Serialize(record);
        var second = CanonicalJson.Serialize(record with { });
        Assert.Equal(first, second);
        Assert.Equal("""{"cached":true,"files":null,"kind":"file","path":"data/x.csv","sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":3}""", Encoding.UTF8.GetString(first));
    }
}
