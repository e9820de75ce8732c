from django.contrib import admin

from .models import AgendaItem, Committee, Meeting


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    search_fields = ["name", "short_name"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "starts_at", "place"]
    list_filter = ["committee"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "meeting", "is_public"]
    list_filter = ["is_public", "meeting__committee"]
    search_fields = ["title", "number"]
