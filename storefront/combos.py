"""Gift combos sold at their stated price.

In Saleor a combo is its items, as real checkout lines whose unit prices our App sets (``CheckoutLineInput.price``,
allowed to an App with HANDLE_CHECKOUTS): the combo's price is spread over its items in proportion to their list
prices, to the đồng, so the lines add up exactly to the combo's price. We chose this over a Saleor promotion
because a promotion's predicate cannot say "all of these variants are in the checkout" (a catalogue promotion
would also discount the items bought on their own, an order promotion cannot look at the lines), and over a
combo product of its own because its stock would have to be kept in step with its items' by hand: with real
lines, Saleor's stock, the listing rule and every later step see the very products that are shipped.
"""

import dataclasses
from decimal import ROUND_FLOOR, Decimal

from catalog.models import Product

from .models import GiftCombo


class ComboUnavailable(Exception):
    """The combo cannot be sold as it stands; the message is for the shopper."""


@dataclasses.dataclass(frozen=True)
class ComboPart:
    product: Product
    quantity: int  # per combo
    unit_price: Decimal


def list_price(product: Product) -> Decimal:
    listing = getattr(product, "store_listing", None)
    if listing is None:
        raise ComboUnavailable(product.name_vi)
    return listing.price


def parts(combo: GiftCombo) -> list[ComboPart]:
    """The combo's items with unit prices adding up (× quantities) exactly to the combo's price, in whole VND.
    A remainder that no item of quantity 1 can take splits one line into two (quantity − 1 and 1)."""
    items = list(combo.items.select_related("product__store_listing").order_by("pk"))
    price = combo.sale_price()
    if not items or price is None:
        raise ComboUnavailable(combo.name_vi)
    base = sum((list_price(i.product) * i.quantity for i in items), Decimal(0))
    result = []
    for item in items:
        share = (price * list_price(item.product) / base) if base else price / sum(i.quantity for i in items)
        result.append(ComboPart(item.product, item.quantity, share.quantize(Decimal(1), rounding=ROUND_FLOOR)))
    remainder = price - sum(p.unit_price * p.quantity for p in result)
    if remainder:
        single = next((n for n, p in enumerate(result) if p.quantity == 1), None)
        if single is not None:
            p = result[single]
            result[single] = dataclasses.replace(p, unit_price=p.unit_price + remainder)
        else:
            p = result[0]
            result[0:1] = [
                dataclasses.replace(p, quantity=p.quantity - 1),
                dataclasses.replace(p, quantity=1, unit_price=p.unit_price + remainder),
            ]
    assert sum(p.unit_price * p.quantity for p in result) == price
    return result
