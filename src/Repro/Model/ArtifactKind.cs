namespace Repro.Model;

public enum ArtifactKind
{
    File,
    Dir,
    Missing,
}
