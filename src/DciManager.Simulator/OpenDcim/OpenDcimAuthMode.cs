namespace DciManager.Simulator;

/// <summary>Which openDCIM API authentication the simulator plays (a real installation has one vhost per mode).</summary>
public enum OpenDcimAuthMode
{
    /// <summary>Both vhosts on one listener: see <see cref="OpenDcim.OpenDcimInferred.BothModesRule"/>.</summary>
    Both,
    /// <summary>AUTHENTICATION "Apache": HTTP Basic checked by Apache (REMOTE_USER); API headers ignored.</summary>
    Basic,
    /// <summary>AUTHENTICATION "LDAP": the UserID and APIKey headers.</summary>
    ApiKey,
}
