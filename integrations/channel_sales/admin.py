from django.contrib import admin

from catalog.accounts.admin import ReadOnlyAdmin

from .models import MarketplaceOrder, MarketplaceOrderLine


class LineInline(admin.TabularInline):
    model = MarketplaceOrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["product", "sku", "quantity", "unit_price"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MarketplaceOrder)
class MarketplaceOrderAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "destination", "status", "cancelled", "ordered_at"]
    list_filter = ["destination", "cancelled"]
    search_fields = ["external_id"]
    inlines = [LineInline]
