from django.contrib import admin

from .models import AgendaItem, Committee, Decision, Meeting, Paper, Report


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


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["agenda_item", "department", "date"]
    list_select_related = ["agenda_item", "department"]
    autocomplete_fields = ["agenda_item"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports are made by the worker and never changed by hand."""

    list_display = ["paper", "version", "variant", "status", "progress", "attempts", "finished_at"]
    list_filter = ["status", "variant"]
    list_select_related = ["paper__agenda_item"]
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["agenda_item", "result", "recorded_by", "recorded_at"]
    list_select_related = ["agenda_item", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]
