from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Body,
    Department,
    DepartmentParticipation,
    Invitation,
    Municipality,
    Organisation,
    ParticipationRequest,
    Profile,
)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "head_title"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["number", "name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(DepartmentParticipation)
class DepartmentParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["department", "status", "set_by", "set_at"]
    list_filter = ["status"]
    search_fields = ["department__name", "department__number", "note"]
    autocomplete_fields = ["department"]
    filter_horizontal = ["contacts"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["department", "organisation", "municipality"]
    readonly_fields = ["from_directory", "directory_deactivated_at"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "role", "is_active"]
    list_filter = ["profile__role", "profile__from_directory", "is_active", "is_staff"]
    list_select_related = ["profile"]

    @admin.display(description=_("Rolle"), ordering="profile__role")
    def role(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else "–"


@admin.register(ParticipationRequest)
class ParticipationRequestAdmin(admin.ModelAdmin):
    list_display = ["participation", "kind", "requested_by", "requested_at", "sent_at"]
    list_filter = ["kind"]
    readonly_fields = ["recipients", "sent_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """For looking things up; invitations are made, resent and revoked in the portal
    (/beteiligte/einladungen/), which sends the e-mails."""

    list_display = ["name", "email", "role", "organisation", "municipality", "last_invited_at"]
    list_filter = ["role"]
    search_fields = ["name", "email"]
    exclude = ["nonce", "mailed_nonce"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
