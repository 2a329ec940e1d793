namespace HpcTune.Client.Wire;

/// <summary>The bearer token: given, from a file, or from <c>HPCTUNE_TOKEN</c>.</summary>
internal static class TokenReader
{
    public static string Read(ExperimentClientOptions options)
    {
        if (options.Token is { } given)
        {
            return Checked(given.Trim(), "the token given");
        }

        if (options.TokenFile is { } file)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"cannot read the token file '{file}': {e.Message}", e);
            }

            return Checked(text.Trim(), $"the token file '{file}'");
        }

        if (Environment.GetEnvironmentVariable(ExperimentClientOptions.TokenVariable) is { Length: > 0 } variable)
        {
            return Checked(variable.Trim(), ExperimentClientOptions.TokenVariable);
        }

        throw new ArgumentException($"no token: give --token-file FILE or set {ExperimentClientOptions.TokenVariable} (serve writes the token to CHECKPOINT/token)");
    }

    private static string Checked(string token, string source) =>
        token.Length > 0 && token.All(c => c is > ' ' and < (char)127)
            ? token
            : throw new ArgumentException($"{source} holds no usable token (expected one line of printable ASCII)");
}
