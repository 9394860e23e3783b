"""Staff page of the outbox: deliveries with their attempts; dead letters can be retried."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ocop.staff_site import NoAdding, NoDeleting

from . import services as outbox
from .models import OutboxDelivery


@admin.register(OutboxDelivery)
class OutboxDeliveryAdmin(NoAdding, NoDeleting, admin.ModelAdmin):
    """Deliveries of events to subscribers; dead letters can be retried."""

    list_display = ["event", "subscriber", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "subscriber", "event__topic"]
    readonly_fields = [field.name for field in OutboxDelivery._meta.fields]
    actions = ["retry"]

    @admin.action(description=_("Retry the selected deliveries"), permissions=["change"])
    def retry(self, request, queryset):
        for delivery in queryset.exclude(status=OutboxDelivery.Status.DONE):
            outbox.retry(delivery)
        self.message_user(request, _("Queued again."), messages.SUCCESS)
