"""Staff admin of traceability. Model permissions say what a user may do; catalog's scoping rule says on which
rows: a producer account sees only its own lots, items, jobs, scans and events, a commune officer those of
their commune, and another's id answers "not found" as an unknown one does."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog import admin as catalog_admin
from catalog import permissions
from catalog.models import Product
from ocop.staff_site import NoAdding, NoChanging

from . import capture_tokens, sales_points, services
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

    @admin.action(description=_("Produce a label sheet (PDF) in the background"), permissions=["add_labelsheet"])
    def issue_label_sheet(self, request, queryset):
        for lot in queryset:
            services.start_label_sheet(lot=lot, actor=request.user)
        self.message_user(request, _("Label sheets are being produced; see label sheet jobs."))

    def has_add_labelsheet_permission(self, request):
        return request.user.has_perm("traceability.add_labelsheetjob")


@admin.register(Item)
class ItemAdmin(NoAdding, NoChanging, ScopedAdmin):
    """Serials are issued by issuance jobs only, never added or edited here."""

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


class ReadOnlyAdmin(NoAdding, NoChanging, ScopedAdmin):
    pass


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
        return format_html(
            '<a href="{}">{}</a>', reverse("traceability:label_download", args=[obj.pk]), _("Download PDF")
        )


@admin.register(ScanEvent)
class ScanEventAdmin(ReadOnlyAdmin):
    list_display = ["scanned_at", "serial", "item", "sales_point_code", "latitude", "longitude"]
    list_filter = ["scanned_at"]
    search_fields = ["=serial", "sales_point_code"]
    raw_id_fields = ["item"]
    show_full_result_count = False


@admin.register(SerialFlag)
class SerialFlagAdmin(NoAdding, ScopedAdmin):
    """The staff list of flagged (possibly copied) serials."""

    list_display = ["item", "reason", "detail", "flagged_at", "reviewed"]
    list_filter = ["reason", "reviewed"]
    list_editable = ["reviewed"]
    search_fields = ["=item__serial"]
    readonly_fields = ["item", "reason", "detail", "flagged_at"]


@admin.register(EpcisEvent)
class EpcisEventAdmin(ReadOnlyAdmin):
    list_display = ["event_time", "biz_step", "action", "lot", "biz_location", "recorded_by"]
    list_filter = ["biz_step"]
    search_fields = ["event_id", "biz_location"]
    exclude = ["items"]


class CaptureTokenForm(forms.ModelForm):
    """Issue a token to exactly one party: a producer, or a sales point (listed by integrations)."""

    sales_point = forms.TypedChoiceField(label=_("sales point"), coerce=int, required=False, empty_value=None)

    class Meta:
        model = CaptureToken
        fields = ["name", "producer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sales_point"].choices = [("", "---------"), *sales_points.directory().choices()]

    def clean(self):
        data = super().clean()
        if (data.get("producer") is None) == (data.get("sales_point") is None):
            raise forms.ValidationError(
                _("Choose either a producer or a sales point: a token acts for exactly one."), code="invalid"
            )
        return data


@admin.register(CaptureToken)
class CaptureTokenAdmin(admin.ModelAdmin):
    """Tokens are issued here (the key is shown once) and revoked by the action; they are never edited."""

    form = CaptureTokenForm
    list_display = ["name", "party", "active", "created_at", "revoked_at"]
    list_filter = ["active"]
    search_fields = ["name"]
    autocomplete_fields = ["producer"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return (
            ["name", "producer", "sales_point"]
            if obj is None
            else ["name", "party", "active", "created_at", "revoked_at"]
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["name", "party", "active", "created_at", "revoked_at"]

    @admin.display(description=_("acts for"))
    def party(self, token):
        if token.producer_id is not None:
            return token.producer
        point = sales_points.directory().point(token.sales_point_id)
        return point.name if point else "—"

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a token can be edited: revoke it and issue another
        token, key = capture_tokens.issue(
            name=form.cleaned_data["name"],
            producer=form.cleaned_data["producer"],
            sales_point_id=form.cleaned_data["sales_point"],
            actor=request.user,
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        self.message_user(request, _("Token key (shown once, copy it now): %(key)s") % {"key": key})

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            capture_tokens.revoke(token=token, actor=request.user)
        self.message_user(request, _("Tokens revoked: they no longer open the EPCIS endpoints."))
