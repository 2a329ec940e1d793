namespace HpcTune.Gp.LinearAlgebra;

/// <summary>The shape check every provider runs, so they all reject the same calls the same way.</summary>
internal static class MatrixShape
{
    public static void Check(int length, int rows, int columns, int stride)
    {
        if (rows < 0 || columns < 0 || stride < columns || (rows > 0 && length < ((rows - 1) * stride) + columns))
        {
            throw new ArgumentException($"a {rows}×{columns} matrix with row stride {stride} does not fit in {length} elements");
        }
    }
}
