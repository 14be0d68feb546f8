using System.Globalization;
using System.Security;
using DciManager.Client.Http;
using DciManager.Client.Models;

namespace DciManager.Client;

/// <summary>auth/v4: login keys, API tokens, session lifetime, whoami.</summary>
public sealed class DciAuthApi
{
    private readonly DciConnection _c;

    internal DciAuthApi(DciConnection connection) => _c = connection;

    /// <summary>POST auth/v4/user/{email or id}/key (admin): a one-time key valid for one hour.</summary>
    public async Task<DciLoginKey> CreateLoginKeyAsync(string userEmailOrId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userEmailOrId);
        var request = new DciRequest(HttpMethod.Post, $"auth/v4/user/{DciRequest.Segment(userEmailOrId.Trim())}/key") { AnswerHoldsSecret = true };
        var answer = await _c.Transport.SendAsync(request, DciJsonContext.Default.KeyResponse, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(answer.Key))
            throw new DciApiException($"POST {request.Path}: the answer carries no key.", 200, null, "The answer carries no key.", null, "POST", request.Path);
        _c.Transport.Session.AddSecret(answer.Key);
        return new DciLoginKey { Id = answer.Id.AsText(), Key = answer.Key, Connection = _c, ExtensionData = answer.AdditionalProperties };
    }

    /// <summary>POST auth/v4/token: a long-lived token expiring at <paramref name="expiresAt"/>.</summary>
    public async Task<DciApiToken> CreateApiTokenAsync(DateTimeOffset expiresAt, string? description, CancellationToken ct = default)
    {
        var expires = expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var request = new DciRequest(HttpMethod.Post, "auth/v4/token") { AnswerHoldsSecret = true }.WithJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("expires_at", expires);
            if (description is not null) w.WriteString("description", description);
            w.WriteEndObject();
        });
        var answer = await _c.Transport.SendAsync(request, DciJsonContext.Default.TokenResponse, ct).ConfigureAwait(false);
        var text = answer.Token ?? answer.Session;
        if (string.IsNullOrEmpty(text))
            throw new DciApiException($"POST {request.Path}: the answer carries no token.", 200, null, "The answer carries no token.", null, "POST", request.Path);
        _c.Transport.Session.AddSecret(text);
        var secure = new SecureString();
        foreach (var ch in text) secure.AppendChar(ch);
        secure.MakeReadOnly();
        return new DciApiToken
        {
            Id = answer.Id.AsText(),
            Token = secure,
            ExpiresAt = Models.FlexibleDateTimeOffsetConverter.Parse(answer.ExpiresAt) ?? new DateTimeOffset(expiresAt.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero),
            Description = answer.Description ?? description,
            Connection = _c,
            ExtensionData = answer.AdditionalProperties,
        };
    }

    /// <summary>POST auth/v4/setting/token_ttl {value: minutes} (admin; global for all users).</summary>
    public async Task SetSessionLifetimeAsync(TimeSpan lifetime, CancellationToken ct = default)
    {
        var minutes = (long)Math.Round(lifetime.TotalMinutes);
        if (minutes < 1) throw new ArgumentOutOfRangeException(nameof(lifetime), "The session lifetime must be at least one minute.");
        var request = new DciRequest(HttpMethod.Post, "auth/v4/setting/token_ttl").WithJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("value", minutes.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
        await _c.Transport.SendAsync(request, DciJsonContext.Default.JsonElement, ct).ConfigureAwait(false);
    }

    public async Task<DciWhoAmI> WhoAmIAsync(CancellationToken ct = default)
    {
        var me = await _c.Transport.SendAsync(new DciRequest(HttpMethod.Get, "auth/v4/whoami"), DciJsonContext.Default.DciWhoAmI, ct).ConfigureAwait(false);
        me.Connection = _c;
        return me;
    }
}
