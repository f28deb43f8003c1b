using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Repro.Tests.Parsing;

/// <summary>Small valid files of each format: what malformed ones are compared with, and the seeds the fuzz tests mutate.</summary>
public static class ValidInputs
{
    public static byte[] Json => "{\"accuracy\": 0.91, \"loss\": [0.5, 0.4], \"nested\": {\"f1\": 0.8}}"u8.ToArray();

    public static byte[] Yaml => "accuracy: 0.91\nloss:\n  - 0.5\n  - 0.4\nnested: {f1: 0.8, tags: [a, b]}\nx: &x [1, 2]\ny: *x\n"u8.ToArray();

    public static byte[] Csv => "step,loss,acc\n0,0.5,0.8\n1,0.4,\"0.85\"\n2,0.3,0.9\n"u8.ToArray();

    public static byte[] Notebook => "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"import numpy as np\\n\", \"%matplotlib inline\\n\"]}], \"nbformat\": 4}"u8.ToArray();

    public static byte[] Pointer => Encoding.UTF8.GetBytes($"sha256: {new string('a', 64)}\nsize: 12\npath: data.csv\n");

    public static byte[] StepLog => "{\"key\": \"loss\", \"value\": 0.5, \"step\": 1}\n{\"key\": \"loss\", \"value\": 0.4}\n"u8.ToArray();

    public static byte[] Npy
    {
        get
        {
            var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }".PadRight(117) + "\n";
            var bytes = new byte[10 + header.Length + 24];
            "\u0093NUMPY"u8.ToArray().CopyTo(bytes, 0);
            bytes[0] = 0x93;
            bytes[6] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
            Encoding.Latin1.GetBytes(header).CopyTo(bytes, 10);
            for (var i = 0; i < 3; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(10 + header.Length + (8 * i)), i + 1);
            }

            return bytes;
        }
    }

    public static byte[] Safetensors
    {
        get
        {
            var header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}"u8.ToArray();
            var bytes = new byte[8 + header.Length + 8];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
            header.CopyTo(bytes, 8);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + header.Length), 1f);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(12 + header.Length), 2f);
            return bytes;
        }
    }

    public static byte[] Npz
    {
        get
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                using var entry = zip.CreateEntry("a.npy").Open();
                entry.Write(Npy);
            }

            return buffer.ToArray();
        }
    }
}
