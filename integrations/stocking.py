"""What an OCOP display-and-sale point may stock, and what it may claim (Decision 950/QĐ-BCT, 18/04/2023).

A point sells OCOP products rated 3★ or more (catalog's listing rule, ``listable``), and also products on the
lists the Department keeps (``StockListEntry``): the province's key products, typical rural industrial and
agricultural products, local specialities. Only a product that is listable carries the OCOP mark and its stars,
on the shelf labels and in the pull API; a product that loses its certificate loses that claim at once and stays
on the shelf only if it is on one of the lists.
"""

import dataclasses
import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from catalog.querysets import listable_q, local_today

from .models import StockListEntry

OCOP = "ocop"


def current_entries(today: datetime.date | None = None):
    """Entries of the Department's lists in force on ``today``."""
    today = today or local_today()
    return StockListEntry.objects.filter(listed_on__lte=today).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=today)
    )


def stockable_q(today: datetime.date | None = None) -> Q:
    """Products a point may stock on ``today``: listable, or on a list of the Department."""
    listed = current_entries(today).filter(product=OuterRef("pk"))
    return listable_q(today) | Q(Exists(listed))


def stockable(queryset: QuerySet | None = None, today: datetime.date | None = None) -> QuerySet:
    return (queryset if queryset is not None else Product.objects.all()).filter(stockable_q(today))


@dataclasses.dataclass(frozen=True)
class Basis:
    """Why a product may be stocked: OCOP (with its stars) and/or the lists it is on."""

    ocop_stars: int | None
    lists: tuple[str, ...]

    @property
    def ocop(self) -> bool:
        return self.ocop_stars is not None

    @property
    def allowed(self) -> bool:
        return self.ocop or bool(self.lists)

    @property
    def list_labels(self) -> list[str]:
        return [str(StockListEntry.List(code).label) for code in self.lists]


def bases(products, today: datetime.date | None = None) -> dict[int, Basis]:
    """The basis of each product (loaded products; one query for the lists)."""
    today = today or local_today()
    ids = [product.pk for product in products]
    lists: dict[int, list[str]] = {}
    for product_id, code in (
        current_entries(today).filter(product_id__in=ids).order_by("list").values_list("product_id", "list")
    ):
        lists.setdefault(product_id, []).append(code)
    return {
        product.pk: Basis(
            ocop_stars=product.certified_stars if product.is_listable(today) else None,
            lists=tuple(lists.get(product.pk, ())),
        )
        for product in products
    }


def basis_of(product: Product, today: datetime.date | None = None) -> Basis:
    return bases([product], today)[product.pk]


NOT_STOCKABLE = _(
    "%(product)s is neither a certified OCOP product (3★ or more) at present nor on a list of the Department "
    "(key products, typical rural products, local specialities), so a sales point may not offer it."
)
