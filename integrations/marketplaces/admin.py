"""Staff pages of the marketplaces and feeds: what is listed where, deliveries with their attempts, retry and full
resync."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.validators import MAX_LONG_TEXT, MAX_URL
from integrations.marketplaces import services as marketplace_services
from ocop.outbox.models import OutboxDelivery
from ocop.staff_site import NoAdding, ShownInline

from ..models import (
    DeliveryAttempt,
    Destination,
    DestinationDelivery,
    ListingState,
)


class OptionsField(forms.JSONField):
    """The destination's options (JSON), bounded like every text a form takes."""

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_LONG_TEXT, **kwargs)


class DestinationForm(forms.ModelForm):
    base_url = forms.URLField(max_length=MAX_URL, label=_("API base URL"), assume_scheme="https")
    auth_url = forms.URLField(
        max_length=MAX_URL, label=_("token endpoint base URL"), required=False, assume_scheme="https"
    )
    credentials = forms.CharField(
        max_length=MAX_LONG_TEXT,
        label=_("credentials (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write-only: stored encrypted. Leave empty to keep the stored credentials."),
    )

    class Meta:
        model = Destination
        fields = [
            "kind",
            "name",
            "enabled",
            "base_url",
            "auth_url",
            "options",
            "credentials_env",
            "rate_per_second",
            "burst",
        ]
        field_classes = {"options": OptionsField}

    def clean_credentials(self):
        text = self.cleaned_data["credentials"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise ValidationError(_("Enter the credentials as a JSON object.")) from exc
        if not isinstance(value, dict):
            raise ValidationError(_("Enter the credentials as a JSON object."))
        return value

    def save(self, commit=True):
        if self.cleaned_data.get("credentials") is not None:
            self.instance.set_credentials(self.cleaned_data["credentials"])
        return super().save(commit)


class ListingStateInline(ShownInline):
    model = ListingState
    fields = ["product", "external_id", "listed", "last_synced_at", "last_error"]
    show_change_link = True


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin):
    form = DestinationForm
    list_display = ["name", "kind", "enabled", "base_url", "listed_count"]
    list_filter = ["kind", "enabled"]
    inlines = [ListingStateInline]
    actions = ["full_resync"]

    @admin.display(description=_("listed"))
    def listed_count(self, obj):
        return obj.listings.filter(listed=True).count()

    @admin.action(description=_("Full resync of the selected destinations"), permissions=["change"])
    def full_resync(self, request, queryset):
        count = 0
        for destination in queryset:
            count += len(marketplace_services.full_resync(destination=destination, actor=request.user))
        self.message_user(request, ngettext("%d delivery queued.", "%d deliveries queued.", count) % count)


@admin.register(ListingState)
class ListingStateAdmin(NoAdding, admin.ModelAdmin):
    list_display = ["product", "destination", "external_id", "listed", "last_synced_at", "last_error"]
    list_filter = ["destination", "listed"]
    search_fields = ["product__name_vi", "external_id"]
    readonly_fields = ["destination", "product", "external_id", "listed", "last_synced_at", "last_error"]


class DeliveryAttemptInline(ShownInline):
    model = DeliveryAttempt
    fields = ["started_at", "outcome", "operations", "error"]


@admin.register(DestinationDelivery)
class DestinationDeliveryAdmin(NoAdding, admin.ModelAdmin):
    list_display = ["created_at", "destination", "product", "action", "status", "result", "last_error"]
    list_filter = ["destination", "action", "outbox_event__deliveries__status"]
    search_fields = ["product__name_vi", "cause"]
    readonly_fields = [
        "id",
        "destination",
        "product",
        "action",
        "cause",
        "status",
        "attempts_count",
        "result",
        "last_error",
        "completed_at",
        "created_at",
    ]
    exclude = ["outbox_event"]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_dead_letters"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("destination", "product", "outbox_event")

    @admin.display(description=_("status"))
    def status(self, obj):
        delivery = obj.outbox_delivery
        return delivery.get_status_display() if delivery else "—"

    @admin.display(description=_("attempts"))
    def attempts_count(self, obj):
        delivery = obj.outbox_delivery
        return delivery.attempts if delivery else 0

    @admin.action(description=_("Retry the selected failed deliveries"), permissions=["change"])
    def retry_dead_letters(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(outbox_event__deliveries__status=OutboxDelivery.Status.DEAD).distinct():
            marketplace_services.retry_delivery(delivery=delivery, actor=request.user)
            retried += 1
        level = messages.SUCCESS if retried else messages.WARNING
        self.message_user(
            request, ngettext("%d delivery queued again.", "%d deliveries queued again.", retried) % retried, level
        )
