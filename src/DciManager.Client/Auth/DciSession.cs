using System.Net;
using System.Text.Json;
using DciManager.Client.Http;
using DciManager.Client.Models;

namespace DciManager.Client.Auth;

/// <summary>
/// The session of one connection: the current token and, for password logins, the credential used to
/// sign in again. Re-login happens here, once for all concurrent requests that saw the same 401.
/// </summary>
internal sealed class DciSession
{
    private readonly object _lock = new();
    private readonly SemaphoreSlim _relogin = new(1, 1);
    private NetworkCredential? _credential;
    private volatile string? _token;
    private volatile string?[] _secrets = Array.Empty<string?>();
    private volatile bool _closed;
    private volatile string? _rejected;

    /// <summary>Bumped by every finished re-login attempt, so requests that queued behind it share its result.</summary>
    private int _reloginGeneration;
    private Exception? _lastReloginFailure;

    /// <summary>The platform's password sign-in (DCImanager 6: auth/v4/public/token), used again when the session expires.</summary>
    private readonly Func<DciTransport, NetworkCredential, CancellationToken, Task<string>> _login;

    public DciSession(DciAuthMethod method, NetworkCredential? credential, string? key,
        Func<DciTransport, NetworkCredential, CancellationToken, Task<string>>? login = null)
    {
        Method = method;
        _login = login ?? (async (transport, c, ct) => (await DciAuthenticator.PasswordLoginAsync(transport, c, ct).ConfigureAwait(false)).Token!);
        _credential = credential;
        if (credential is not null) AddSecret(credential.Password);
        if (key is not null) AddSecret(key);
    }

    public DciAuthMethod Method { get; }

    public string? Token => _token;

    public bool CanRelogin => Method == DciAuthMethod.Password && _credential is not null && !_closed && _rejected is null;

    /// <summary>Why the session cannot sign in again by itself, for the error (null: the default text).</summary>
    public string? CannotReloginReason => _rejected;

    public int ReloginCount { get; private set; }

    /// <summary>Every secret this session has seen (tokens, password, key), for redaction.</summary>
    public IReadOnlyList<string?> KnownSecrets => _secrets;

    public void SetToken(string token)
    {
        AddSecret(token);
        _token = token;
    }

    public void AddSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return;
        lock (_lock)
        {
            if (Array.IndexOf(_secrets, secret) >= 0) return;
            var next = new string?[_secrets.Length + 1];
            _secrets.CopyTo(next, 0);
            next[^1] = secret;
            // Longest first, so a secret containing another is masked whole.
            Array.Sort(next, (a, b) => (b?.Length ?? 0).CompareTo(a?.Length ?? 0));
            _secrets = next;
        }
    }

    /// <summary>Signs in again unless another request already replaced <paramref name="failedToken"/>.</summary>
    /// <remarks>
    /// Requests that saw the same expired token wait for one sign-in and share its result, success or failure.
    /// A refused credential (400/401/403 on the login) is never sent again: locking the account out is worse
    /// than asking for Connect-Dci.
    /// </remarks>
    public async Task RefreshAsync(DciTransport transport, string? failedToken, CancellationToken ct)
    {
        if (!CanRelogin) throw new DciSessionExpiredException(_rejected);
        var generation = Volatile.Read(ref _reloginGeneration);
        await _relogin.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!string.Equals(_token, failedToken, StringComparison.Ordinal) && _token is not null) return;
            if (_reloginGeneration != generation && _lastReloginFailure is { } shared)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(shared);
            if (!CanRelogin) throw new DciSessionExpiredException(_rejected);
            try
            {
                SetToken(await _login(transport, _credential!, ct).ConfigureAwait(false));
                ReloginCount++;
                _lastReloginFailure = null;
            }
            catch (DciApiException refused) when (refused.HttpStatus is 400 or 401 or 403 || refused.Kind is DciErrorKind.Authentication)
            {
                _rejected = $"The DCImanager session has expired and the panel refused the stored credential ({refused.ServerMessage}); it will not be sent again. Run Connect-Dci again.";
                _lastReloginFailure = refused;
                throw;
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                _lastReloginFailure = failed;
                throw;
            }
            finally
            {
                Interlocked.Increment(ref _reloginGeneration);
            }
        }
        finally
        {
            _relogin.Release();
        }
    }

    /// <summary>Forgets the token, the credential and the secrets kept for masking (no logout endpoint is known).</summary>
    public void Close()
    {
        _closed = true;
        _token = null;
        if (_credential is { } credential)
        {
            credential.Password = "";
            _credential = null;
        }
        lock (_lock) _secrets = Array.Empty<string?>();
    }
}

/// <summary>The login calls of auth/v4.</summary>
internal static class DciAuthenticator
{
    public static Task<TokenResponse> PasswordLoginAsync(DciTransport transport, NetworkCredential credential, CancellationToken ct)
    {
        var request = new DciRequest(HttpMethod.Post, "auth/v4/public/token") { Authenticated = false, SafeToRepeat = true, AnswerHoldsSecret = true }
            .WithJson(w =>
            {
                w.WriteStartObject();
                w.WriteString("email", credential.UserName);
                w.WriteString("password", credential.Password);
                w.WriteEndObject();
            });
        return SendLoginAsync(transport, request, ct);
    }

    public static Task<TokenResponse> KeyLoginAsync(DciTransport transport, string key, CancellationToken ct)
    {
        var request = new DciRequest(HttpMethod.Post, "auth/v4/public/key") { Authenticated = false, AnswerHoldsSecret = true }
            .WithJson(w =>
            {
                w.WriteStartObject();
                w.WriteString("key", key);
                w.WriteEndObject();
            });
        return SendLoginAsync(transport, request, ct);
    }

    private static bool IsSendable(string token)
    {
        foreach (var ch in token)
            if (ch is < '!' or > '~' or ';' or ',') return false;
        return true;
    }

    private static async Task<TokenResponse> SendLoginAsync(DciTransport transport, DciRequest request, CancellationToken ct)
    {
        var answer = await transport.SendAsync(request, DciJsonContext.Default.TokenResponse, ct).ConfigureAwait(false);
        answer.Token ??= answer.Session;
        if (string.IsNullOrEmpty(answer.Token))
            throw new DciApiException($"POST {request.Path}: the login answer carries no token.", 200, null,
                "The login answer carries no token.", null, "POST", request.Path);
        // The token goes back in a cookie and a header: anything but visible ASCII (no ';' or ',') cannot be sent,
        // and would otherwise surface later as a confusing transport failure of the next call.
        if (!IsSendable(answer.Token))
            throw new DciApiException($"POST {request.Path}: the login answer carries a token that cannot be sent back (it has spaces, control or non-ASCII characters).",
                200, null, "The login answer carries a token that cannot be sent back.", null, "POST", request.Path);
        return answer;
    }
}
