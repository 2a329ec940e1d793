using System.Buffers.Binary;
using System.IO.Compression;

namespace HpcTune.Cli.Tests;

/// <summary>
/// The pixels of a PNG as Chromium writes screenshots (8-bit RGB or RGBA, not interlaced): enough to tell a drawn
/// chart from a blank box without an imaging library.
/// </summary>
internal sealed class PngPixels
{
    private PngPixels(int width, int height, byte[] rgba)
    {
        Width = width;
        Height = height;
        Rgba = rgba;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Four bytes per pixel, rows top to bottom.</summary>
    public byte[] Rgba { get; }

    public static PngPixels Decode(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                Assert.True(data[8] == 8 && data[12] == 0, "expected an 8-bit, non-interlaced PNG");
                channels = data[9] switch
                {
                    2 => 3,
                    6 => 4,
                    var other => throw new NotSupportedException($"PNG colour type {other}"),
                };
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            at += 12 + length;
        }

        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }

        return new PngPixels(width, height, Unfilter(inflated.ToArray(), width, height, channels));
    }

    /// <summary>Reverses the PNG row filters (none, sub, up, average, Paeth) and widens RGB to RGBA.</summary>
    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        var stride = width * channels;
        var previous = new byte[stride];
        var row = new byte[stride];
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            Array.Copy(raw, (y * (stride + 1)) + 1, row, 0, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? row[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                row[i] = (byte)(row[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                });
            }

            for (var x = 0; x < width; x++)
            {
                for (var k = 0; k < 4; k++)
                {
                    rgba[(((y * width) + x) * 4) + k] = k < channels ? row[(x * channels) + k] : (byte)255;
                }
            }

            (previous, row) = (row, previous);
        }

        return rgba;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>The share of pixels that differ from the most common colour (the background).</summary>
    public double InkShare()
    {
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < Rgba.Length; i += 4)
        {
            var color = BinaryPrimitives.ReadInt32LittleEndian(Rgba.AsSpan(i));
            counts[color] = counts.GetValueOrDefault(color) + 1;
        }

        var pixels = Rgba.Length / 4;
        return pixels == 0 ? 0 : 1.0 - ((double)counts.Values.Max() / pixels);
    }

    /// <summary>How many different colours the image holds.</summary>
    public int Colors()
    {
        var colors = new HashSet<int>();
        for (var i = 0; i < Rgba.Length; i += 4)
        {
            colors.Add(BinaryPrimitives.ReadInt32LittleEndian(Rgba.AsSpan(i)));
        }

        return colors.Count;
    }
}
