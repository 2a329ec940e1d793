using System.Security.Cryptography;

namespace HpcTune.Service.Security;

/// <summary>
/// The bearer token every call must carry, kept in <c>DIR/token</c> readable by its owner only (mode 0600). A server
/// started again on the same folder keeps the token, so the workers it had reconnect without being told a new one.
/// </summary>
internal static class TokenFile
{
    public const string FileName = "token";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The token in <paramref name="directory"/>/token, made (32 random bytes, base64url) when there is none.</summary>
    /// <exception cref="HpcTune.Journal.CheckpointException">The file exists but others may read it, or it holds no token.</exception>
    public static string LoadOrCreate(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the token file is protected by its Unix file mode (0600)");
        }

        var path = Path.Combine(directory, FileName);
        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            using (var writer = new StreamWriter(created))
            {
                writer.Write(token + "\n");
            }

            return token;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Load(path);
        }
    }

    private static string Load(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the token file is protected by its Unix file mode (0600)");
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & ~OwnerOnly) != 0)
        {
            throw new HpcTune.Journal.CheckpointException($"{path} may be read by others (mode {Convert.ToString((int)mode, 8)}): make it 0600 (chmod 600 {path}) or delete it for a new token");
        }

        var token = File.ReadAllText(path).Trim();
        return token.Length >= 16
            ? token
            : throw new HpcTune.Journal.CheckpointException($"{path} holds no token (at least 16 characters): delete it and a new one is made");
    }
}
