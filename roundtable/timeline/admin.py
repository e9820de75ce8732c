from django.contrib import admin

from .models import Phase


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "start",
        "end",
        "allows_idea_submission",
        "allows_workshop_work",
        "allows_committee_work",
        "allows_implementation",
    ]
    search_fields = ["name", "key"]
    prepopulated_fields = {"key": ["name"]}
