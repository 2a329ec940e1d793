using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("HpcTune.Cli.Tests")]
