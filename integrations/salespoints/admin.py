"""Staff pages of the sales points: points and their operators, assortments, inspections, reports, notices, the
Department's location kinds and stock lists."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.validators import MAX_NOTE, MAX_URL
from integrations import stock_lists
from integrations.salespoints import permissions
from integrations.salespoints import services as point_services
from ocop.staff_site import NoAdding, NoChanging, ShownInline

from ..models import (
    Assortment,
    FollowUpAction,
    Inspection,
    InspectionFinding,
    InspectionPhoto,
    LocationKind,
    OperatorNotice,
    OperatorOrganisation,
    PointCriterion,
    PointOperatorMembership,
    SalesPoint,
    SalesPointStatusChange,
    SalesReport,
    StockListEntry,
)


class AssortmentInline(NoAdding, admin.TabularInline):
    """Products are added through the service, which checks the listing rule."""

    model = Assortment
    fields = ["product", "added_at", "added_by"]
    readonly_fields = fields
    extra = 0


class SalesPointForm(forms.ModelForm):
    webhook_url = forms.URLField(max_length=MAX_URL, label=_("webhook URL"), required=False, assume_scheme="https")
    webhook_secret = forms.CharField(
        max_length=MAX_NOTE,
        label=_("webhook secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Write-only: stored encrypted. Leave empty to keep the stored secret."),
    )

    class Meta:
        model = SalesPoint
        fields = [
            "code",
            "name",
            "kind",
            "address",
            "latitude",
            "longitude",
            "operator",
            "licence_number",
            "licence_date",
            "licence_issuer",
            "webhook_url",
        ]

    def save(self, commit=True):
        if self.cleaned_data.get("webhook_secret"):
            self.instance.set_webhook_secret(self.cleaned_data["webhook_secret"])
        return super().save(commit)


class ScopedAdmin(admin.ModelAdmin):
    """Rows limited to the points the user may see (all for the Department, its own for an operator)."""

    point_field = "point"

    def get_queryset(self, request):
        return permissions.scope(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.point_field and db_field.related_model is SalesPoint:
            kwargs["queryset"] = permissions.points_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StatusHistoryInline(ShownInline):
    """Added through ``change_status`` only (the portal's status form)."""

    model = SalesPointStatusChange
    fields = ["at", "actor", "from_status", "to_status", "reason"]


@admin.register(SalesPoint)
class SalesPointAdmin(ScopedAdmin):
    form = SalesPointForm
    point_field = None
    list_display = ["code", "name", "kind", "operator", "status", "portal_link", "labels_link"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "name", "address"]
    readonly_fields = ["status"]
    inlines = [AssortmentInline, StatusHistoryInline]
    actions = ["issue_api_token"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new point is a proposal, recorded with its first history row.
        fields = {name: form.cleaned_data.get(name) for name in SalesPointForm.Meta.fields}
        fields = {
            name: "" if value is None and name not in ("latitude", "longitude", "operator", "licence_date") else value
            for name, value in fields.items()
        }
        point, token = point_services.create_sales_point(
            status=SalesPoint.Status.PROPOSED,
            actor=request.user,
            webhook_secret=form.cleaned_data.get("webhook_secret") or "",
            **fields,
        )
        obj.pk = point.pk
        obj.refresh_from_db()
        self.message_user(
            request,
            _("New token for %(point)s (shown once): %(token)s") % {"point": point.code, "token": token},
            messages.WARNING,
        )

    @admin.display(description=_("portal"))
    def portal_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("integrations:point_detail", args=[obj.pk]), _("Open"))

    @admin.display(description=_("shelf labels"))
    def labels_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank">{}</a>', reverse("integrations:sales_point_labels", args=[obj.pk]), _("Print")
        )

    @admin.action(description=_("Issue a new API token (the old one stops working)"), permissions=["change"])
    def issue_api_token(self, request, queryset):
        for point in queryset:
            token = point_services.rotate_api_token(point=point, actor=request.user)
            self.message_user(
                request,
                _("New token for %(point)s (shown once): %(token)s") % {"point": point.code, "token": token},
                messages.WARNING,
            )


class PointOperatorMembershipInline(admin.TabularInline):
    model = PointOperatorMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(OperatorOrganisation)
class OperatorOrganisationAdmin(ScopedAdmin):
    list_display = ["name", "contact_person", "phone", "email"]
    search_fields = ["name", "contact_person", "email"]
    inlines = [PointOperatorMembershipInline]


@admin.register(PointCriterion)
class PointCriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "title_vi", "title_en", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["code", "title_vi", "title_en"]


class InspectionFindingInline(admin.TabularInline):
    model = InspectionFinding
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criterion":
            kwargs["queryset"] = PointCriterion.objects.filter(active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        # A new inspection starts with one row per criterion in use.
        return PointCriterion.objects.filter(active=True).count() if obj is None else 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is None:
            criteria = list(PointCriterion.objects.filter(active=True).values_list("pk", flat=True))

            class Prefilled(formset):
                def __init__(self, *args, **kw):
                    kw.setdefault("initial", [{"criterion": pk} for pk in criteria])
                    super().__init__(*args, **kw)

            return Prefilled
        return formset


class InspectionPhotoInline(admin.TabularInline):
    model = InspectionPhoto
    extra = 1
    # The photo is private: a plain file input (no storage URL), and a link through the permission-checked view.
    formfield_overrides = {models.ImageField: {"widget": forms.FileInput}}
    readonly_fields = ["view"]

    @admin.display(description=_("photo"))
    def view(self, obj):
        if not (obj and obj.pk and obj.image):
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("integrations:inspection_photo", args=[obj.pk]), _("View"))


class FollowUpActionInline(admin.TabularInline):
    model = FollowUpAction
    extra = 1


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    list_display = ["point", "inspected_on", "inspector", "outcome"]
    list_filter = ["inspected_on", ("point", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["point__name", "inspector"]
    inlines = [InspectionFindingInline, InspectionPhotoInline, FollowUpActionInline]

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        return _("passed") if obj.passed else _("failed")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SalesReport)
class SalesReportAdmin(NoAdding, NoChanging, ScopedAdmin):
    """Read-only here: reports come in through the portal's form, the upload or the API (one checked path)."""

    list_display = ["month", "point", "product", "quantity_sold", "revenue", "closing_stock", "source"]
    list_filter = ["month", ("point", admin.RelatedOnlyFieldListFilter), "source"]
    search_fields = ["point__name", "product__name_vi"]


@admin.register(OperatorNotice)
class OperatorNoticeAdmin(NoAdding, ScopedAdmin):
    list_display = ["created_at", "organisation", "point", "shown_subject", "read_at"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    readonly_fields = ["organisation", "point", "product", "shown_subject", "shown_text", "created_at", "read_at"]
    exclude = ["subject", "text", "key", "params"]

    @admin.display(description=_("subject"))
    def shown_subject(self, notice):
        return notice.title

    @admin.display(description=_("text"))
    def shown_text(self, notice):
        return notice.message

    def has_add_permission(self, request):
        return False


@admin.register(LocationKind)
class LocationKindAdmin(admin.ModelAdmin):
    """The kinds of place of Decision 950/QĐ-BCT, as data: the Department may add or retire kinds."""

    list_display = ["code", "name_vi", "name_en", "order", "active"]
    list_editable = ["order", "active"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a kind (``active``) instead: points keep theirs


@admin.register(StockListEntry)
class StockListEntryAdmin(admin.ModelAdmin):
    """The Department's lists of key, typical rural and local-speciality products (950), kept through services."""

    list_display = ["product", "list", "reference", "listed_on", "removed_on"]
    list_filter = ["list", ("removed_on", admin.EmptyFieldListFilter)]
    search_fields = ["product__name_vi", "reference"]
    raw_id_fields = ["product"]
    actions = ["remove_selected"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        entry = stock_lists.add_to_list(
            product=obj.product,
            list_code=obj.list,
            actor=request.user,
            reference=obj.reference,
            listed_on=obj.listed_on,
        )
        obj.pk = entry.pk

    @admin.action(description=_("Remove from the list"), permissions=["add"])
    def remove_selected(self, request, queryset):
        for entry in queryset.filter(removed_on__isnull=True):
            stock_lists.remove_from_list(entry=entry, actor=request.user)
