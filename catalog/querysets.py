"""Business filters of the registry. The listing rule is written here once."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

#: Lowest star rating that is an OCOP certification.
MIN_CERTIFIED_STARS = 3


def local_today() -> datetime.date:
    """Today in Asia/Ho_Chi_Minh: the date that decides validity."""
    return timezone.localdate()


def listable_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """The one rule deciding whether a product may be listed and sold.

    True only for a product whose current certificate is 3★ or more, unrevoked and still valid on
    ``today`` (its last valid day is ``certified_until``). The inputs are columns on ``Product``,
    kept by ``catalog.services``, so the rule is one indexed condition; expiry needs no job.
    ``prefix`` lets related models reuse the rule (``prefix="product__"``).
    """
    today = today or local_today()
    return Q(
        **{
            f"{prefix}certified_stars__gte": MIN_CERTIFIED_STARS,
            f"{prefix}certified_until__gte": today,
            f"{prefix}certificate_revoked": False,
        }
    )


class ProductQuerySet(models.QuerySet):
    def listable(self, today: datetime.date | None = None):
        return self.filter(listable_q(today))

    def not_listable(self, today: datetime.date | None = None):
        return self.exclude(listable_q(today))

    def sellable(self, today: datetime.date | None = None):
        """What may be sold: listable, and the store has a listing (a price) for it (``storefront.ProductListing``).

        The one definition the store, Saleor, the feeds and the marketplaces ask."""
        return self.listable(today).filter(store_listing__isnull=False)

    def visible_to(self, user, today: datetime.date | None = None):
        """What ``user`` may read: listable products, plus those their role gives them (``permissions.scope``).

        The office and the Department read every product, a commune officer their commune's, a producer its
        own; a model permission alone (``catalog.view_product``) gives no rows.
        """
        from .permissions import visible  # permissions imports the models, which import this module

        return visible(self, user, today)


class RuleSetQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        """The rule set in force on ``on`` (the latest that took effect on or before it), or None."""
        return self.filter(effective_from__lte=on).order_by("-effective_from").first()
