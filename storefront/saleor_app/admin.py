import logging

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ocop.staff_site import NoAdding, NoChanging

from . import install
from .manifest import PERMISSIONS
from .models import PendingInstall, SaleorInstance, SaleorOrder, SaleorOrderLine, SaleorProduct, SyncReport

logger = logging.getLogger(__name__)


@admin.register(SaleorInstance)
class SaleorInstanceAdmin(NoAdding, admin.ModelAdmin):
    """Instances are created by Saleor's install handshake only."""

    list_display = ["api_url", "domain", "app_id", "is_active", "installed_at"]
    readonly_fields = ["api_url", "domain", "app_id", "installed_at", "setup", "jwks_fetched_at"]
    fields = ["api_url", "domain", "app_id", "is_active", "installed_at", "setup", "jwks_fetched_at"]


@admin.register(PendingInstall)
class PendingInstallAdmin(NoAdding, NoChanging, admin.ModelAdmin):
    """App tokens POSTed to the install endpoint that replace nothing until staff accept one, seeing its App id and
    permissions next to the registered App's (see ``install``)."""

    list_display = ["app_id", "app_identifier", "app_name", "api_url", "received_at", "received_from"]
    fields = [
        "api_url",
        "domain",
        "app_id",
        "app_identifier",
        "app_name",
        "permissions",
        "received_at",
        "received_from",
    ]
    readonly_fields = fields
    actions = ["accept_selected"]

    def has_accept_permission(self, request):
        return request.user.has_perm("saleor_app.accept_pendinginstall")

    @admin.action(description=_("Accept the selected pending install…"), permissions=["accept"])
    def accept_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one pending install to accept."), messages.WARNING)
            return None
        pending = queryset.get()
        if request.POST.get("confirm") == "yes":
            try:
                instance = install.accept(pending=pending, actor=request.user)
            except install.InstallRefused as exc:
                logger.warning("Pending Saleor app install %s not accepted: %s", pending.app_id, exc)
                self.message_user(
                    request,
                    _(
                        "Saleor does not confirm this install (the token no longer works, or its app is not ours or "
                        "lacks a permission): nothing was changed. Details: %(reason)s"
                    )
                    % {"reason": exc},
                    messages.ERROR,
                )
                return None
            self.message_user(
                request,
                _("App %(app)s is now the store's app in %(url)s.") % {"app": instance.app_id, "url": instance.api_url},
                messages.SUCCESS,
            )
            return None
        registered = SaleorInstance.objects.filter(api_url=pending.api_url).first()
        return TemplateResponse(
            request,
            "admin/saleor_app/pendinginstall/accept.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Accept a pending Saleor app install"),
                "pending": pending,
                "registered": registered,
                "missing_permissions": sorted(set(PERMISSIONS) - set(pending.permissions)),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(SaleorProduct)
class SaleorProductAdmin(NoAdding, admin.ModelAdmin):
    list_display = ["product", "instance", "saleor_product_id", "published", "synced_at", "unpublished_at"]
    list_filter = ["published", "instance"]
    search_fields = ["product__name_vi", "saleor_product_id", "saleor_variant_id"]
    readonly_fields = [
        "instance",
        "product",
        "saleor_product_id",
        "saleor_variant_id",
        "published",
        "synced_at",
        "unpublished_at",
    ]


class SaleorOrderLineInline(admin.TabularInline):
    model = SaleorOrderLine
    extra = 0
    fields = ["product", "sku", "quantity", "unit_price", "currency", "lot_number"]
    readonly_fields = ["product", "sku", "quantity", "unit_price", "currency"]
    can_delete = False


@admin.register(SaleorOrder)
class SaleorOrderAdmin(NoAdding, admin.ModelAdmin):
    list_display = ["number", "email", "status", "total", "currency", "paid_at", "cancelled_at"]
    list_filter = ["status", "instance"]
    search_fields = ["number", "email", "saleor_id"]
    readonly_fields = [
        "instance",
        "saleor_id",
        "number",
        "email",
        "status",
        "total",
        "currency",
        "paid_at",
        "cancelled_at",
        "payload",
    ]
    inlines = [SaleorOrderLineInline]


@admin.register(SyncReport)
class SyncReportAdmin(NoAdding, admin.ModelAdmin):
    list_display = ["started_at", "kind", "instance", "checked", "fix_count", "error_count"]
    list_filter = ["kind", "instance"]
    readonly_fields = ["instance", "kind", "started_at", "finished_at", "checked", "fixes", "errors"]

    @admin.display(description="repairs")
    def fix_count(self, obj):
        return len(obj.fixes)

    @admin.display(description="errors")
    def error_count(self, obj):
        return len(obj.errors)
