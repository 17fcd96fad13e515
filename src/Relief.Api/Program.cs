using JasperFx;
using Relief.Api.Audit;
using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.CarePlans;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Dispatch;
using Relief.Api.Demo;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Households;
using Relief.Api.Infrastructure;
using Relief.Api.Meeting;
using Relief.Api.Notifications;
using Relief.Api.Supervision;

if (VerifyExportCommand.IsOffline(args)) return VerifyExportCommand.RunOffline(args);

var builder = WebApplication.CreateBuilder(args);

// The system clock, except for the demo command, which moves its own through 2020; the demo command
// is the only caller of its private loopback host: its 8,400 or so requests go unlimited.
builder.AddReliefPipeline(DemoCommand.ClockFor(args), callersUnlimited: DemoCommand.IsRequested(args));

builder.AddHouseholds();
builder.AddCareAgreements();
builder.AddCarePlans();
builder.AddCareCentres();
builder.AddCaregiverFamilies();
builder.AddExtendedPolicies();
builder.AddSupervision();
builder.AddNotifications();
builder.AddDispatch();
builder.AddAudit();
builder.AddMeeting();

var app = builder.Build();
app.UseReliefPipeline();
app.MapMeeting();

return await app.RunJasperFxCommands(args);

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
