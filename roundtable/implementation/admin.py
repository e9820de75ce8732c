from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Measure, Milestone, ProgressNote


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ProgressNoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0
    readonly_fields = ["created"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "concept", "status", "progress", "responsible_department"]
    list_filter = ["status"]
    search_fields = ["title"]
    filter_horizontal = ["municipalities"]
    inlines = [MilestoneInline, ProgressNoteInline]
