namespace DciManager.Client;

/// <summary>The systems Connect-Dci -Platform can talk to.</summary>
public enum DciPlatform
{
    /// <summary>ISPsystem DCImanager 6 (REST, the default).</summary>
    DCImanager6,
    /// <summary>ISPsystem DCImanager 5 (COREmanager func= form RPC).</summary>
    DCImanager5,
    /// <summary>openDCIM (REST v1, 23.x): inventory only (data centers, cabinets, devices, departments, people).</summary>
    OpenDcim,
    /// <summary>IMCO, Ingram Micro Cloud Orchestrator (REST v2/v3 over mutual TLS): cloud servers, their actions and cloud resources.</summary>
    Imco,
}
