using Marten;

namespace Relief.Api.Notifications;

public static class NotificationsConfiguration
{
    public static StoreOptions ConfigureNotifications(this StoreOptions opts)
    {
        return opts;
    }
}
