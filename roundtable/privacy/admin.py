from django.contrib import admin

from .models import AccessibilityFeedback, ErasureRecord, LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "modified", "modified_by"]
    readonly_fields = ["modified", "modified_by"]

    def save_model(self, request, obj, form, change):
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created", "page", "emailed_at"]
    readonly_fields = ["created", "emailed_at"]
    search_fields = ["message", "page"]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    list_display = ["pseudonym", "reason", "erased_at", "erased_by"]
    readonly_fields = ["pseudonym", "reason", "erased_at", "erased_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
