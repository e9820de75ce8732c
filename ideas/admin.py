from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Idea, TargetGroup, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "topic", "status", "support_count", "comment_count", "created"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic"]
    search_fields = ["title"]
    readonly_fields = ["support_count", "comment_count", "status", "public_feedback", "author"]
    filter_horizontal = ["target_groups", "municipalities"]
