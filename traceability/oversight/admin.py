"""Admin for oversight's reference data; the work itself is done on the oversight pages (/oversight/)."""

from django.contrib import admin

from ocop.staff_site import NoAdding, NoChanging, NoDeleting

from .models import ChecklistItem, InspectionPlan, Report, ReportEvent, RevocationProposal


@admin.register(InspectionPlan)
class InspectionPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "planned_inspections"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["code", "area", "text_vi", "text_en", "order", "active"]
    list_filter = ["area", "active"]


class ReportEventInline(NoAdding, admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_status", "to_status", "text"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(NoChanging, NoDeleting, admin.ModelAdmin):
    """Read-only: reports are triaged on the oversight pages, where every change is recorded in the history."""

    list_display = ["reference", "kind", "status", "product", "created_at"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["reference", "code"]
    inlines = [ReportEventInline]
    exclude = ["contact_email", "contact_phone", "sender_hash"]


@admin.register(RevocationProposal)
class RevocationProposalAdmin(NoAdding, NoChanging, NoDeleting, admin.ModelAdmin):
    list_display = ["product", "cause", "status", "proposed_at", "decision"]
    list_filter = ["status", "cause"]
