using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HpcTune.Bench.Service;

/// <summary>
/// A benchmark worker on HTTP/JSON, as a Python script or curl is: HttpClient posting JSON to the transcoded routes
/// (POST /v1/studies/-/suggest, POST /v1/studies/-/trials/ID/observe), its own connection.
/// </summary>
internal sealed class JsonPairClient : IPairClient
{
    private readonly HttpClient _http;
    private readonly string _worker;
    private readonly int _dimension;
    private readonly string _suggestBody;

    public JsonPairClient(string url, string token, string worker, int dimension, double waitSeconds)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan }) { BaseAddress = new Uri(url) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _worker = worker;
        _dimension = dimension;
        _suggestBody = string.Create(CultureInfo.InvariantCulture, $$"""{"worker":"{{worker}}","count":1,"wait_seconds":{{waitSeconds}}}""");
    }

    public async Task<SuggestedTrial?> SuggestAsync(CancellationToken cancellation)
    {
        while (true)
        {
            using var answer = await PostAsync("v1/studies/-/suggest", _suggestBody, cancellation).ConfigureAwait(false);
            var root = answer.RootElement;
            switch (root.GetProperty("status").GetString())
            {
                case "ok":
                    var trial = root.GetProperty("trials")[0];
                    var assignments = trial.GetProperty("assignments");
                    var x = new double[_dimension];
                    for (var i = 0; i < x.Length; i++)
                    {
                        x[i] = assignments.GetProperty($"x{i + 1}").GetDouble();
                    }

                    return new SuggestedTrial(trial.GetProperty("id").GetInt64(), x);
                case "finished":
                    return null;
                default:
                    continue; // "wait"
            }
        }
    }

    public async Task ObserveAsync(long id, double value, CancellationToken cancellation)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"worker":"{{_worker}}","value":{{value:R}}}""");
        using var answer = await PostAsync($"v1/studies/-/trials/{id}/observe", body, cancellation).ConfigureAwait(false);
        if (!answer.RootElement.GetProperty("recorded").GetBoolean())
        {
            throw new InvalidOperationException($"trial {id}: the server did not record the result: {answer.RootElement}");
        }
    }

    private async Task<JsonDocument> PostAsync(string path, string body, CancellationToken cancellation)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content, cancellation).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = document.RootElement.ToString();
            document.Dispose();
            throw new HttpRequestException($"POST {path}: HTTP {(int)response.StatusCode}: {text}");
        }

        return document;
    }

    public void Dispose() => _http.Dispose();
}
