namespace Relief.Api.Audit;

/// <summary>The audit: its storage, its hash chain and its views.</summary>
public static class AuditModule
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReliefAudit();
        return builder;
    }
}
