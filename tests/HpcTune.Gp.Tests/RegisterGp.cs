using System.Runtime.CompilerServices;
using HpcTune.Gp.Sampling;

namespace HpcTune.Gp.Tests;

/// <summary>
/// Registers the GP before any test runs, as a program does at start: definitions naming gp are checked when they
/// are made, and a test class's own static constructor may run after another class has made one.
/// </summary>
internal static class RegisterGp
{
    [ModuleInitializer]
    internal static void Register() => GpSampler.Register();
}
