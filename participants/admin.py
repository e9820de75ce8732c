from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
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
    Role,
)
from .services import administrator_keep_one


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


class ProfileFormSet(BaseInlineFormSet):
    """Validated after the user's own form was applied to ``self.instance``: it sees
    the new "active" and "superuser" and the new role together."""

    def clean(self):
        super().clean()
        user = self.instance
        if user.pk is None:
            return
        roles = [f.cleaned_data.get("role") for f in self.forms if getattr(f, "cleaned_data", None)]
        stays = user.is_active and (user.is_superuser or Role.ADMIN in roles)
        if not stays:
            administrator_keep_one(users=[user])


class ProfileInline(admin.StackedInline):
    model = Profile
    formset = ProfileFormSet
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

    def get_deleted_objects(self, objs, request):
        """The last active administrator is shown as protected: it cannot be deleted."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        try:
            with transaction.atomic():  # the bulk action runs outside one
                administrator_keep_one(users=objs)
        except ValidationError as exc:
            protected = [*protected, " ".join(exc.messages)]
        return deleted, model_count, perms_needed, protected

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
