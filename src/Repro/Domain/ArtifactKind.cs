namespace Repro.Domain;

public enum ArtifactKind
{
    File,
    Dir,
    Missing,
}
