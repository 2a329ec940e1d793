namespace HpcTune.Space;

/// <summary>The kind of values a parameter takes.</summary>
public enum ParameterType
{
    /// <summary>A real number in [min, max], optionally quantized by a step.</summary>
    Double,

    /// <summary>An integer in [min, max], optionally quantized by a step.</summary>
    Int,

    /// <summary>One of a fixed list of strings.</summary>
    Categorical,
}

/// <summary>How a numeric parameter is laid out on the unit interval.</summary>
public enum Transformation
{
    /// <summary>Uniform in the value.</summary>
    None,

    /// <summary>Uniform in the logarithm of the value (needs min &gt; 0).</summary>
    Log,
}
