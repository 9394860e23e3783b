from django.contrib import admin

from .models import GiftCombo, GiftComboItem, ListingChange, ProductListing


@admin.register(ProductListing)
class ProductListingAdmin(admin.ModelAdmin):
    list_display = ["product", "sku", "price", "stock", "featured", "updated_at"]
    list_filter = ["featured"]
    search_fields = ["sku", "product__name_vi", "product__producer__name"]
    autocomplete_fields = ["product"]


class GiftComboItemInline(admin.TabularInline):
    model = GiftComboItem
    extra = 1
    autocomplete_fields = ["product"]


@admin.register(GiftCombo)
class GiftComboAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "slug", "price", "active", "position"]
    list_filter = ["active"]
    search_fields = ["name_vi", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_vi"]}
    inlines = [GiftComboItemInline]


@admin.register(ListingChange)
class ListingChangeAdmin(admin.ModelAdmin):
    """Read-only record; changes are reviewed on the portal's review page (one service, one transaction)."""

    list_display = ["product", "status", "proposed_by", "created_at", "reviewer", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["product__name_vi", "product__producer__name"]
    readonly_fields = [field.name for field in ListingChange._meta.fields] + ["live_before"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
