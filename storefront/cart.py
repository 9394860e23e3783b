"""The shopping cart, kept in the session: product ids and quantities, nothing else.

Prices and availability are read afresh on every request through the listing rule, so a product
that stops being listable while in a cart shows as unavailable and cannot be checked out.
"""

import dataclasses
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from catalog.models import Product

from .search import store_products

if TYPE_CHECKING:
    from .models import GiftCombo

SESSION_KEY = "storefront_cart"
COMBO_SESSION_KEY = "storefront_cart_combos"
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
        return _("Only %(stock)s left in stock.") % {"stock": listing.stock} if listing.stock else _("Out of stock.")
    return ""


@dataclasses.dataclass
class ComboLine:
    """A gift combo in the cart: sold whole, at the combo's price, or not at all."""

    combo: "GiftCombo"
    quantity: int
    available: bool
    problem: str = ""

    @property
    def unit_price(self) -> Decimal | None:
        return self.combo.sale_price()

    @property
    def total(self) -> Decimal:
        return (self.unit_price or Decimal(0)) * self.quantity if self.available else Decimal(0)


def _combo_problem(combo, quantity: int, listable_ids: set[int], extra: dict[int, int] | None = None) -> str:
    """Why the combo cannot be sold ``quantity`` times (with ``extra`` units of its products wanted besides)."""
    extra = extra or {}
    for item in combo.items.all():
        product = item.product
        if product.pk not in listable_ids:
            return _("%(name)s is no longer OCOP-certified: this combo cannot be sold.") % {"name": product.name_vi}
        listing = getattr(product, "store_listing", None)
        if listing is None:
            return _("%(name)s is not sold online: this combo cannot be sold.") % {"name": product.name_vi}
        if listing.stock < item.quantity * quantity + extra.get(product.pk, 0):
            return _("Not enough %(name)s in stock for this combo.") % {"name": product.name_vi}
    if combo.sale_price() is None:
        return _("This combo has no price.")
    return ""


class Cart:
    def __init__(self, session):
        self.session = session
        self.items: dict[str, int] = dict(session.get(SESSION_KEY, {}))
        self.combos: dict[str, int] = dict(session.get(COMBO_SESSION_KEY, {}))

    def _save(self):
        self.session[SESSION_KEY] = self.items
        self.session[COMBO_SESSION_KEY] = self.combos
        self.session.modified = True

    def snapshot(self) -> dict:
        """What the cart holds, to tell whether a checkout was started for this very cart."""
        return {"items": dict(self.items), "combos": dict(self.combos)}

    def _combos(self, slugs):
        from .models import GiftCombo

        return {
            c.slug: c
            for c in GiftCombo.objects.filter(slug__in=list(slugs), active=True).prefetch_related(
                "items__product__store_listing"
            )
        }

    def add_combo(self, slug: str, quantity: int = 1):
        """Add a whole combo, or nothing: every item must be listable and in stock. Raises ``CartError``."""
        combo = self._combos([slug]).get(slug)
        if combo is None or not combo.items.exists():
            raise CartError(_("This combo is not for sale."))
        new_quantity = min(self.combos.get(slug, 0) + max(quantity, 1), MAX_QUANTITY)
        ids = [item.product_id for item in combo.items.all()]
        listable_ids = set(store_products().filter(pk__in=ids).values_list("pk", flat=True))
        loose = {int(pk): q for pk, q in self.items.items()}
        problem = _combo_problem(combo, new_quantity, listable_ids, loose)
        if problem:
            raise CartError(problem)
        self.combos[slug] = new_quantity
        self._save()
        return combo

    def update_combo(self, slug: str, quantity: int) -> None:
        if quantity <= 0:
            self.combos.pop(slug, None)
        elif slug in self.combos:
            self.combos[slug] = min(quantity, MAX_QUANTITY)
        self._save()

    def combo_lines(self) -> list[ComboLine]:
        combos = self._combos(self.combos)
        ids = {item.product_id for combo in combos.values() for item in combo.items.all()}
        listable_ids = set(store_products().filter(pk__in=ids).values_list("pk", flat=True))
        lines = []
        for slug, quantity in self.combos.items():
            combo = combos.get(slug)
            if combo is None:
                continue
            problem = _combo_problem(combo, quantity, listable_ids)
            lines.append(ComboLine(combo=combo, quantity=quantity, available=not problem, problem=problem))
        return lines

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
        self.combos = {}
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
        return sum(self.items.values()) + sum(self.combos.values())


def cart_total(lines: list) -> Decimal:
    return sum((line.total for line in lines), Decimal(0))
