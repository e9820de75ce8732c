from django.contrib import admin

from .models import PersonConsent


@admin.register(PersonConsent)
class PersonConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "agreed_at"]
    raw_id_fields = ["user"]
