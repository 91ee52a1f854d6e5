namespace FastLog.Broker.Profiles;

/// <summary>A hardware profile that cannot be used; the message names the profile and the field.</summary>
public sealed class ProfileException(string message) : Exception(message);
