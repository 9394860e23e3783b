"""Staff admin of traceability. Model permissions say what a user may do; catalog's scoping rule says on which
rows: a producer account sees only its own lots, items, jobs, scans and events, a commune officer those of
their commune, and another's id answers "not found" as an unknown one does."""

import secrets

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog import admin as catalog_admin
from catalog import permissions
from catalog.models import Product

from . import services
from .identifiers import display_serial, uri_of
from .models import CaptureToken, EpcisEvent, IssuanceJob, Item, LabelSheetJob, Lot, ScanEvent, SerialFlag


class ScopedAdmin(catalog_admin.ScopedAdmin):
    #: A lot's product is scoped; its raw-material origin may be any commune.
    scoped_choices = (Product,)

    def has_delete_permission(self, request, obj=None):
        allowed = admin.ModelAdmin.has_delete_permission(self, request, obj)
        return allowed and (obj is None or permissions.can_access(request.user, obj))


@admin.register(Lot)
class LotAdmin(ScopedAdmin):
    list_display = ["number", "product", "produced_on", "expires_on", "quantity"]
    list_filter = ["produced_on"]
    search_fields = ["number", "product__name_vi", "product__gtin"]
    autocomplete_fields = ["product"]
    raw_id_fields = ["origin_commune"]
    actions = ["issue_label_sheet"]

    @admin.action(description=_("Produce a label sheet (PDF) in the background"),
                  permissions=["add_labelsheet"])
    def issue_label_sheet(self, request, queryset):
        for lot in queryset:
            services.start_label_sheet(lot=lot, actor=request.user)
        self.message_user(request, _("Label sheets are being produced; see label sheet jobs."))

    def has_add_labelsheet_permission(self, request):
        return request.user.has_perm("traceability.add_labelsheetjob")


@admin.register(Item)
class ItemAdmin(ScopedAdmin):
    list_display = ["grouped_serial", "lot", "issued_at"]
    search_fields = ["=serial"]
    list_select_related = ["lot__product"]
    readonly_fields = ["lot", "serial", "issued_at", "uri"]
    show_full_result_count = False

    @admin.display(description=_("serial"))
    def grouped_serial(self, item):
        return display_serial(item.serial)

    @admin.display(description=_("URI"))
    def uri(self, item):
        return uri_of(item)

    def has_add_permission(self, request):
        return False  # serials are issued by issuance jobs only

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IssuanceJob)
class IssuanceJobAdmin(ReadOnlyAdmin):
    list_display = ["lot", "requested", "issued", "status", "created_at", "finished_at"]
    list_filter = ["status"]


@admin.register(LabelSheetJob)
class LabelSheetJobAdmin(ReadOnlyAdmin):
    list_display = ["lot", "status", "labels", "download", "created_at"]
    list_filter = ["status"]
    # The file is private: linked through the permission-checked download, never by a storage URL.
    exclude = ["file"]
    readonly_fields = ["download", "file_deleted_at"]

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.file_deleted_at:
            return obj.retention_note
        if not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("traceability:label_download", args=[obj.pk]),
                           _("Download PDF"))


@admin.register(ScanEvent)
class ScanEventAdmin(ReadOnlyAdmin):
    list_display = ["scanned_at", "serial", "item", "sales_point_code", "latitude", "longitude"]
    list_filter = ["scanned_at"]
    search_fields = ["=serial", "sales_point_code"]
    raw_id_fields = ["item"]
    show_full_result_count = False


@admin.register(SerialFlag)
class SerialFlagAdmin(ScopedAdmin):
    """The staff list of flagged (possibly copied) serials."""

    list_display = ["item", "reason", "detail", "flagged_at", "reviewed"]
    list_filter = ["reason", "reviewed"]
    list_editable = ["reviewed"]
    search_fields = ["=item__serial"]
    readonly_fields = ["item", "reason", "detail", "flagged_at"]

    def has_add_permission(self, request):
        return False


@admin.register(EpcisEvent)
class EpcisEventAdmin(ReadOnlyAdmin):
    list_display = ["event_time", "biz_step", "action", "lot", "biz_location", "recorded_by"]
    list_filter = ["biz_step"]
    search_fields = ["event_id", "biz_location"]
    exclude = ["items"]


@admin.register(CaptureToken)
class CaptureTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "created_at"]

    def save_model(self, request, obj, form, change):
        if not obj.key_hash:
            key = secrets.token_urlsafe(32)
            obj.key_hash = CaptureToken.hash(key)
            self.message_user(request, _("Token key (shown once, copy it now): %(key)s") % {"key": key})
        super().save_model(request, obj, form, change)
