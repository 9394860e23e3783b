from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.accounts.admin import ReadOnlyAdmin
from ocop.staff_site import NoAdding, NoChanging

from . import services
from .models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    CouncilScore,
    DocumentKind,
    LevelSeat,
    Notice,
    ProducerInvitation,
    RegistrationRequest,
)


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "required", "active", "sort_order"]
    list_editable = ["required", "active", "sort_order"]


@admin.register(LevelSeat)
class LevelSeatAdmin(admin.ModelAdmin):
    list_display = ["user", "level", "area", "role"]
    list_filter = ["level", "role"]
    search_fields = ["user__username", "area"]
    autocomplete_fields = ["user"]


class ReadOnlyInline(NoAdding, NoChanging, admin.TabularInline):
    extra = 0
    can_delete = False


class StepInline(ReadOnlyInline):
    model = ApplicationStep
    fields = ["at", "actor_label", "action", "from_status", "to_status", "from_level", "to_level", "comment"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


class ScoreInline(ReadOnlyInline):
    model = CouncilScore
    fields = ["level", "member", "score_a", "score_b", "score_c", "comment"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only here: applications change only through the portal's workflow."""

    list_display = ["pk", "producer", "product", "rule_set", "status", "current_level", "applied_on"]
    list_filter = ["status", "current_level", "rule_set"]
    search_fields = ["producer__name", "product__name_vi"]
    inlines = [DocumentInline, ScoreInline, StepInline]


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(admin.ModelAdmin):
    list_display = ["producer_name", "registration_number", "phone", "email", "status", "producer", "created_at"]
    list_filter = ["status"]
    readonly_fields = [
        "user",
        "registration_number",
        "producer_name",
        "phone",
        "email",
        "status",
        "decided_by",
        "decided_at",
    ]
    actions = ["approve", "reject"]

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide_each(request, queryset, services.approve_registration)

    @admin.action(description=_("Reject the selected requests"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide_each(request, queryset, services.reject_registration)

    def _decide_each(self, request, queryset, decide):
        """Decide every selected request; a refusal is reported with its request and the others go on."""
        for registration in queryset:
            try:
                decide(request=registration, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{registration}: {' '.join(error.messages)}", messages.ERROR)


@admin.register(ProducerInvitation)
class ProducerInvitationAdmin(NoAdding, NoChanging, admin.ModelAdmin):
    """Invitations are sent from the portal's invite page (it generates the link); here they are only listed."""

    list_display = ["producer", "email", "expires_at", "used_at", "created_by"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "read", "created_at"]
    list_filter = ["read"]
