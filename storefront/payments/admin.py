from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import PaymentAttempt, ProviderNotification


class NotificationInline(admin.TabularInline):
    model = ProviderNotification
    extra = 0
    can_delete = False
    fields = ("provider", "external_id", "amount", "outcome", "received_at")
    readonly_fields = fields


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(admin.ModelAdmin):
    list_display = ("reference", "method", "status", "amount", "received", "refund_due", "refunded", "created_at")
    list_filter = ("method", "status")
    search_fields = ("reference", "email", "saleor_checkout_id")
    readonly_fields = [f.name for f in PaymentAttempt._meta.fields]
    inlines = [NotificationInline]
    actions = ["mark_refunded"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mark the refund due as paid back (bank transfer made)"))
    def mark_refunded(self, request, queryset):
        for attempt in queryset.filter(refund_due__gt=0):
            services.mark_refunded(attempt.pk, actor=request.user)
        self.message_user(request, _("Refunds recorded."), messages.SUCCESS)


@admin.register(ProviderNotification)
class ProviderNotificationAdmin(admin.ModelAdmin):
    list_display = ("provider", "external_id", "amount", "outcome", "attempt", "received_at")
    list_filter = ("provider", "outcome")
    search_fields = ("external_id", "attempt__reference")
    readonly_fields = [f.name for f in ProviderNotification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
