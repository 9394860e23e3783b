"""The programme's records in the staff site: every list scoped by the one rule (``catalog.admin.ScopedAdmin``).

Statuses change only through the services (the pages of /programme/ and the portal), so they are read-only here.
"""

from django.contrib import admin

from catalog.admin import ScopedAdmin

from .models import (
    CommuneReport,
    Event,
    EventSale,
    Participation,
    Partner,
    PotentialProduct,
    ReportingPeriod,
    TourRoute,
    TourStop,
)


@admin.register(Partner)
class PartnerAdmin(ScopedAdmin):
    list_display = ["name", "kind", "contact_person", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_person"]
    autocomplete_fields = ["products"]


class TourStopInline(admin.TabularInline):
    model = TourStop
    extra = 1
    autocomplete_fields = ["producer"]


@admin.register(TourRoute)
class TourRouteAdmin(ScopedAdmin):
    list_display = ["name_vi", "operator", "active"]
    inlines = [TourStopInline]


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ["name_vi", "kind", "level", "starts_on", "ends_on", "status"]
    list_filter = ["kind", "level", "status"]
    search_fields = ["name_vi", "name_en", "place"]
    readonly_fields = ["status"]


class EventSaleInline(admin.TabularInline):
    model = EventSale
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(ScopedAdmin):
    list_display = ["event", "producer", "status", "booth", "reported_at"]
    list_filter = ["status", "event"]
    readonly_fields = ["status", "decided_at", "reported_at"]
    inlines = [EventSaleInline]


@admin.register(PotentialProduct)
class PotentialProductAdmin(ScopedAdmin):
    list_display = ["idea", "holder", "commune", "group", "recorded_on", "application"]
    list_filter = ["group", "dropped"]
    search_fields = ["idea", "holder"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "deadline"]
    list_filter = ["kind"]


@admin.register(CommuneReport)
class CommuneReportAdmin(ScopedAdmin):
    list_display = ["period", "commune", "certified_products", "new_products", "submitted_at"]
    list_filter = ["period"]
