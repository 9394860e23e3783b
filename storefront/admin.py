from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ocop.staff_site import NoAdding, NoChanging

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
class ListingChangeAdmin(NoAdding, NoChanging, admin.ModelAdmin):
    """Read-only record; changes are reviewed on the portal's review page (one service, one transaction)."""

    list_display = ["product", "status", "proposed_by", "created_at", "reviewer", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["product__name_vi", "product__producer__name"]
    # The proposed photo is private: linked through the permission-checked view, never by a storage URL.
    exclude = ["image"]
    readonly_fields = [field.name for field in ListingChange._meta.fields if field.name != "image"] + [
        "live_before",
        "photo",
    ]

    @admin.display(description=_("image"))
    def photo(self, obj):
        if not obj.image:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("listings:photo", args=[obj.pk]), _("Proposed photo"))
