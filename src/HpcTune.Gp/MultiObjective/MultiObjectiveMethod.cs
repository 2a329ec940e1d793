namespace HpcTune.Gp.MultiObjective;

/// <summary>The acquisition of the GP with several objectives (the <c>multi_objective</c> option).</summary>
internal enum MultiObjectiveMethod
{
    /// <summary>log expected hypervolume improvement over a GP per objective (<see cref="LogExpectedHypervolumeImprovement"/>).</summary>
    Ehvi,

    /// <summary>ParEGO: log EI of a GP fitted to a random augmented Chebyshev scalarization (<see cref="ParegoScalarization"/>).</summary>
    Parego,
}
