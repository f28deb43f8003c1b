namespace Repro.Interop.Dvc;

/// <summary>
/// The two md5 flavours DVC writes. DVC 3 marks its entries <c>hash: md5</c> (md5 of the bytes);
/// an entry without that field was written by DVC 2, whose md5 of a text file was taken after
/// turning CRLF into LF.
/// </summary>
public enum DvcHashName
{
    /// <summary>DVC 3 (<c>hash: md5</c>): md5 of the file's bytes.</summary>
    Md5,

    /// <summary>DVC 2 (no <c>hash</c> field): md5 after CRLF → LF for files that look like text.</summary>
    Md5Dos2Unix,
}
