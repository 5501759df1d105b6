namespace ModelMonitor.Service.Security;

/// <summary>
/// The roles the policies ask for. The API-key handler grants them; another scheme (JWT, OpenID
/// Connect) grants them with role claims of the same names.
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Feedback = "feedback";
    public const string AuditReader = "audit";
}
