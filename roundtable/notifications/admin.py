from django.contrib import admin

from .models import CalendarFeed, DeliverySetting, Follow, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "message", "delivery", "created", "read_at", "emailed_at")
    list_filter = ("kind", "delivery")
    search_fields = ("recipient__username", "recipient__last_name")
    raw_id_fields = ("recipient", "actor")
    readonly_fields = ("created", "read_at", "emailed_at", "attachments")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "target_type", "target_id", "created")
    list_filter = ("target_type",)
    raw_id_fields = ("user",)


@admin.register(DeliverySetting)
class DeliverySettingAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "delivery")
    list_filter = ("kind", "delivery")
    raw_id_fields = ("user",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """No nonce shown: the address of a feed is its owner's secret."""

    list_display = ("user", "created", "last_fetched")
    fields = ("user", "created", "last_fetched")
    readonly_fields = ("user", "created", "last_fetched")
