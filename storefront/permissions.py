"""Who reviews producers' listing changes: the province's OCOP office (added to catalog's role group); who sees a
proposed (not yet public) photo: the reviewers and the accounts of the product's producer."""

from django.db.models import QuerySet

from catalog.models import Product
from catalog.permissions import OCOP_OFFICE, membership_of, scope

from .models import ListingChange

ROLE_PERMISSIONS = {OCOP_OFFICE: ["review_listingchange", "view_listingchange"]}


def may_review(user) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm("storefront.review_listingchange"))


def listing_changes_for(user) -> QuerySet:
    """The listing changes (and so the proposed photos) ``user`` may see: every one for a reviewer; for a producer
    account, those of the products the registry's scoping rule gives it (its own)."""
    if may_review(user):
        return ListingChange.objects.all()
    membership = membership_of(user)
    if not getattr(user, "is_active", False) or membership is None or membership.producer_id is None:
        return ListingChange.objects.none()
    return ListingChange.objects.filter(product__in=scope(Product.objects.all(), user).values("pk"))
