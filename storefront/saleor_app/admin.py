from django.contrib import admin

from .models import SaleorInstance, SaleorOrder, SaleorOrderLine, SaleorProduct, SyncReport


@admin.register(SaleorInstance)
class SaleorInstanceAdmin(admin.ModelAdmin):
    list_display = ["api_url", "domain", "app_id", "is_active", "installed_at"]
    readonly_fields = ["api_url", "domain", "app_id", "installed_at", "setup", "jwks_fetched_at"]
    fields = ["api_url", "domain", "app_id", "is_active", "installed_at", "setup", "jwks_fetched_at"]

    def has_add_permission(self, request):
        return False  # instances are created by Saleor's install handshake only


@admin.register(SaleorProduct)
class SaleorProductAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False


class SaleorOrderLineInline(admin.TabularInline):
    model = SaleorOrderLine
    extra = 0
    fields = ["product", "sku", "quantity", "unit_price", "currency", "lot_number"]
    readonly_fields = ["product", "sku", "quantity", "unit_price", "currency"]
    can_delete = False


@admin.register(SaleorOrder)
class SaleorOrderAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False


@admin.register(SyncReport)
class SyncReportAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "instance", "checked", "fix_count", "error_count"]
    list_filter = ["kind", "instance"]
    readonly_fields = ["instance", "kind", "started_at", "finished_at", "checked", "fixes", "errors"]

    @admin.display(description="repairs")
    def fix_count(self, obj):
        return len(obj.fixes)

    @admin.display(description="errors")
    def error_count(self, obj):
        return len(obj.errors)

    def has_add_permission(self, request):
        return False
