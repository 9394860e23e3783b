"""The shopping cart, kept in the session: product ids and quantities, nothing else.

Prices and availability are read afresh on every request through the listing rule, so a product
that stops being listable while in a cart shows as unavailable and cannot be checked out.
"""

import dataclasses
from decimal import Decimal

from django.utils.translation import gettext as _

from catalog.models import Product

from .search import store_products

SESSION_KEY = "storefront_cart"
MAX_QUANTITY = 99


class CartError(Exception):
    pass


@dataclasses.dataclass
class CartLine:
    product: Product
    quantity: int
    available: bool
    problem: str = ""

    @property
    def unit_price(self) -> Decimal | None:
        listing = getattr(self.product, "store_listing", None)
        return listing.price if listing else None

    @property
    def total(self) -> Decimal:
        return (self.unit_price or Decimal(0)) * self.quantity if self.available else Decimal(0)


def _availability(product, quantity: int, listable_ids: set[int]) -> str:
    if product.pk not in listable_ids:
        return _("No longer OCOP-certified: it cannot be sold.")
    listing = getattr(product, "store_listing", None)
    if listing is None:
        return _("Not sold online.")
    if listing.stock < quantity:
        return (
            _("Only %(stock)s left in stock.") % {"stock": listing.stock}
            if listing.stock
            else _("Out of stock.")
        )
    return ""


class Cart:
    def __init__(self, session):
        self.session = session
        self.items: dict[str, int] = dict(session.get(SESSION_KEY, {}))

    def _save(self):
        self.session[SESSION_KEY] = self.items
        self.session.modified = True

    def add(self, product_id: int, quantity: int = 1) -> Product:
        """Add a listable, in-stock product; raises ``CartError`` with a message for the shopper."""
        product = store_products().filter(pk=product_id).first()
        if product is None:
            raise CartError(_("This product is not for sale."))
        new_quantity = min(self.items.get(str(product_id), 0) + max(quantity, 1), MAX_QUANTITY)
        problem = _availability(product, new_quantity, {product.pk})
        if problem:
            raise CartError(problem)
        self.items[str(product_id)] = new_quantity
        self._save()
        return product

    def update(self, product_id: int, quantity: int) -> None:
        if quantity <= 0:
            self.items.pop(str(product_id), None)
        elif str(product_id) in self.items:
            self.items[str(product_id)] = min(quantity, MAX_QUANTITY)
        self._save()

    def clear(self) -> None:
        self.items = {}
        self._save()

    def lines(self) -> list[CartLine]:
        ids = [int(pk) for pk in self.items]
        products = Product.objects.select_related("store_listing", "producer").in_bulk(ids)
        listable_ids = set(store_products().filter(pk__in=ids).values_list("pk", flat=True))
        lines = []
        for pk in ids:
            product = products.get(pk)
            if product is None:
                continue
            quantity = self.items[str(pk)]
            problem = _availability(product, quantity, listable_ids)
            lines.append(CartLine(product=product, quantity=quantity, available=not problem, problem=problem))
        return lines

    def __len__(self):
        return sum(self.items.values())


def cart_total(lines: list[CartLine]) -> Decimal:
    return sum((line.total for line in lines), Decimal(0))
