namespace DciManager.Simulator.Imco;

/// <summary>What the IMCO mode prints at startup: where the credentials are and how to connect.</summary>
public static class ImcoBanner
{
    public static IReadOnlyList<string> Lines(SimulatorHost host, int servers)
    {
        var c = host.ImcoCredentials ?? throw new InvalidOperationException("Not an IMCO simulator.");
        var url = host.BaseAddress.ToString().TrimEnd('/');
        return new[]
        {
            $"IMCO simulator listening on {url} (mutual TLS; API v2 and v3: {url}/v3/ping)",
            $"Credentials: {c.Directory}{(c.Reused ? " (reused)" : " (created)")}",
            $"API key folder: {c.ApiKeyDirectory} (ca_cert.pem, cert.crt, private/cert.key); zip: {c.ApiKeyZipPath}",
            $"Negative tests: {c.ExpiredApiKeyDirectory}, {c.WrongCaApiKeyDirectory}, {c.EncryptedKeyApiKeyDirectory} (key password {ImcoCredentials.KeyPassword})",
            $"Servers: {servers}",
            $"Connect-Dci -Platform Imco -Uri {url} -ApiKeyPath {c.ApiKeyDirectory}",
            $"curl --cacert {c.CaCertificatePath} --cert {c.ClientCertificatePath} --key {c.ClientKeyPath} {url}/v3/ping",
        };
    }
}
