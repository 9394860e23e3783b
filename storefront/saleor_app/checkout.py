"""Checkout through Saleor for the storefront: create, choose delivery, pay (dummy gateway or cash on
delivery), complete. The listing rule is checked first; Saleor's own refusals are mapped to clear messages.
Without a configured Saleor there is no checkout (``checkout_available()`` is False): never a fake order.
"""

import dataclasses
import logging
from decimal import Decimal

from django.utils.translation import gettext as _

from catalog.models import Product
from storefront import combos as combo_pricing

from . import documents as doc
from .client import SaleorClient, SaleorError, SaleorMutationError
from .models import SaleorInstance, SaleorOrder, SaleorProduct
from .services import client_for, configured_api_url, is_sellable

logger = logging.getLogger(__name__)

DUMMY_GATEWAY = "mirumee.payments.dummy"


class PaymentMethod:
    CASH_ON_DELIVERY = "cod"
    DUMMY = "dummy"


class CheckoutUnavailable(Exception):
    """No Saleor is configured or installed: online checkout is not offered."""


class CheckoutRefused(Exception):
    def __init__(self, message: str, *, code: str, products: list[Product] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.products = products or []


@dataclasses.dataclass(frozen=True)
class VietnamAddress:
    first_name: str
    last_name: str
    street: str
    city: str  # district / commune
    province: str
    phone: str
    postal_code: str = ""
    ward: str = ""  # phường / xã, when not already in ``city``

    def as_input(self) -> dict:
        return {
            "firstName": self.first_name,
            "lastName": self.last_name,
            "streetAddress1": self.street,
            "streetAddress2": self.ward,
            "city": self.city,
            "countryArea": self.province,
            "postalCode": self.postal_code,
            "country": "VN",
            "phone": self.phone,
        }


_UNAVAILABLE = {
    "UNAVAILABLE_VARIANT_IN_CHANNEL",
    "PRODUCT_UNAVAILABLE_FOR_PURCHASE",
    "PRODUCT_NOT_PUBLISHED",
    "PRODUCT_NOT_ASSIGNED_TO_CHANNEL",
    "NOT_FOUND",
}


def _message_for(codes: set[str]) -> tuple[str, str]:
    if codes & _UNAVAILABLE:
        return "PRODUCT_UNAVAILABLE", _(
            "A product in your cart is no longer available for sale. Please remove it to continue."
        )
    if "INSUFFICIENT_STOCK" in codes:
        return "INSUFFICIENT_STOCK", _("There is not enough stock for a product in your cart.")
    if codes & {"SHIPPING_ADDRESS_NOT_SET", "INVALID", "REQUIRED", "SHIPPING_NOT_REQUIRED"}:
        return "INVALID_ADDRESS", _("Please check your email and shipping address.")
    if codes & {
        "SHIPPING_METHOD_NOT_SET",
        "DELIVERY_METHOD_NOT_APPLICABLE",
        "SHIPPING_METHOD_NOT_APPLICABLE",
    }:
        return "DELIVERY_METHOD", _("Please choose a delivery method.")
    if codes & {"CHECKOUT_NOT_FULLY_PAID", "PAYMENT_ERROR", "INVALID_PAYMENT"}:
        return "PAYMENT", _("The payment did not go through. Please try again.")
    return "FAILED", _("The order could not be placed. Please try again.")


def _refusal(exc: SaleorMutationError) -> CheckoutRefused:
    code, message = _message_for(exc.codes)
    return CheckoutRefused(message, code=code)


def _instance() -> SaleorInstance:
    url = configured_api_url()
    instance = SaleorInstance.objects.filter(api_url=url, is_active=True).first() if url else None
    if instance is None or not instance.setup.get("channels"):
        raise CheckoutUnavailable(_("Online checkout needs a connection to Saleor."))
    return instance


def checkout_available() -> bool:
    try:
        _instance()
    except CheckoutUnavailable:
        return False
    return True


def _refuse_unlisted(products: list[Product]) -> None:
    gone = [p for p in products if not is_sellable(p)]
    if gone:
        raise CheckoutRefused(
            _(
                "%(names)s can no longer be bought: its OCOP certification is not valid. "
                "Please remove it from your cart."
            )
            % {"names": ", ".join(p.name_vi for p in gone)},
            code="PRODUCT_UNAVAILABLE",
            products=gone,
        )


def create_checkout(
    *, lines: list[tuple[Product, int]], email: str, address: VietnamAddress, combos: list[tuple] = ()
) -> dict:
    """Create a Saleor checkout for the cart. Returns the checkout (id, lines, total, shipping methods).

    A gift combo becomes its items' lines at the unit prices that make up the combo's price
    (``storefront.combos``); setting a line's price is an App's right (HANDLE_CHECKOUTS), so a cart with a combo
    is created with our App's token."""
    instance = _instance()
    fresh = Product.objects.in_bulk([product.pk for product, _quantity in lines])  # never trust a cart's copy
    lines = [(fresh[product.pk], quantity) for product, quantity in lines if product.pk in fresh]
    combo_parts = []
    for combo, quantity in combos:
        try:
            combo_parts += [(part, quantity) for part in combo_pricing.parts(combo)]
        except combo_pricing.ComboUnavailable as exc:
            raise CheckoutRefused(
                _("The gift combo %(name)s cannot be sold right now.") % {"name": combo.name_vi},
                code="PRODUCT_UNAVAILABLE",
            ) from exc
    products = [product for product, _quantity in lines] + [part.product for part, _quantity in combo_parts]
    _refuse_unlisted(products)
    variants = dict(
        SaleorProduct.objects.filter(instance=instance, product__in=products, published=True).values_list(
            "product_id", "saleor_variant_id"
        )
    )
    missing = [p for p in products if not variants.get(p.pk)]
    if missing:
        raise CheckoutRefused(
            _("%(names)s is not in the online store yet.") % {"names": ", ".join(p.name_vi for p in missing)},
            code="PRODUCT_UNAVAILABLE",
            products=missing,
        )
    line_inputs = [{"variantId": variants[p.pk], "quantity": q} for p, q in lines] + [
        {
            "variantId": variants[part.product.pk],
            "quantity": part.quantity * quantity,
            "price": int(part.unit_price),
            "forceNewLine": True,
        }
        for part, quantity in combo_parts
    ]
    address_input = address.as_input()
    client = client_for(instance) if combo_parts else SaleorClient(instance.api_url)
    try:
        return client.mutate(
            doc.CHECKOUT_CREATE,
            {
                "input": {
                    "channel": instance.channels[0]["slug"],
                    "email": email,
                    "lines": line_inputs,
                    "shippingAddress": address_input,
                    "billingAddress": address_input,
                }
            },
            auth=bool(combo_parts),
        )["checkout"]
    except SaleorMutationError as exc:
        raise _refusal(exc) from exc
    except SaleorError as exc:
        raise _unreachable(exc) from exc


def _unreachable(exc: SaleorError) -> CheckoutRefused:
    logger.warning("Saleor checkout call failed: %s", exc)
    return CheckoutRefused(_("The store is not reachable right now. Please try again in a moment."), code="UNREACHABLE")


def get_checkout(*, checkout_id: str) -> dict:
    """The Saleor checkout, refused (``CheckoutRefused``) when it is gone or any of its products may no longer
    be sold by the listing rule: every checkout step goes through this."""
    instance = _instance()
    try:
        checkout = SaleorClient(instance.api_url).execute(doc.CHECKOUT, {"id": checkout_id}, auth=False).get("checkout")
    except SaleorError as exc:
        raise _unreachable(exc) from exc
    if checkout is None:
        raise CheckoutRefused(_("This checkout no longer exists. Please start again."), code="NOT_FOUND")
    variant_ids = [line["variant"]["id"] for line in checkout["lines"]]
    products = [
        m.product
        for m in SaleorProduct.objects.filter(instance=instance, saleor_variant_id__in=variant_ids).select_related(
            "product"
        )
    ]
    if len(products) != len(set(variant_ids)):
        raise CheckoutRefused(
            _("A product in your cart is no longer available for sale. Please remove it to continue."),
            code="PRODUCT_UNAVAILABLE",
        )
    _refuse_unlisted(products)
    return checkout


def set_delivery_method(*, checkout_id: str, delivery_method_id: str) -> dict:
    """Choose the delivery method; the listing rule is checked again first."""
    instance = _instance()
    get_checkout(checkout_id=checkout_id)
    try:
        return SaleorClient(instance.api_url).mutate(
            doc.CHECKOUT_DELIVERY_METHOD_UPDATE,
            {"id": checkout_id, "deliveryMethodId": delivery_method_id},
            auth=False,
        )["checkout"]
    except SaleorMutationError as exc:
        raise _refusal(exc) from exc
    except SaleorError as exc:
        raise _unreachable(exc) from exc


def complete_checkout(*, checkout_id: str, payment: str = PaymentMethod.CASH_ON_DELIVERY) -> dict:
    """Place the order. Re-checks the listing rule for every line first. Returns Saleor's order."""
    if payment not in (PaymentMethod.DUMMY, PaymentMethod.CASH_ON_DELIVERY):
        raise ValueError(f"Unknown payment method {payment!r}")
    instance = _instance()
    checkout = get_checkout(checkout_id=checkout_id)
    storefront = SaleorClient(instance.api_url)
    try:
        if payment == PaymentMethod.DUMMY:
            amount = Decimal(str(checkout["totalPrice"]["gross"]["amount"]))
            storefront.mutate(
                doc.CHECKOUT_PAYMENT_CREATE,
                {
                    "id": checkout_id,
                    "input": {
                        "gateway": DUMMY_GATEWAY,
                        "token": "charged",  # the dummy gateway's "fully charged" outcome
                        "amount": int(amount) if amount == amount.to_integral_value() else float(amount),
                    },
                },
                auth=False,
            )
            return storefront.mutate(doc.CHECKOUT_COMPLETE, {"id": checkout_id}, auth=False)["order"]
        return client_for(instance).mutate(doc.ORDER_CREATE_FROM_CHECKOUT, {"id": checkout_id})["order"]
    except SaleorMutationError as exc:
        raise _refusal(exc) from exc
    except SaleorError as exc:
        raise _unreachable(exc) from exc


# --- order lookup --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class OrderLookupLine:
    name: str
    sku: str
    quantity: int


@dataclasses.dataclass(frozen=True)
class OrderLookup:
    number: str
    status: str
    total: Decimal | None
    currency: str
    lines: list[OrderLookupLine]


def _same_email(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.strip().casefold() == b.strip().casefold()


def find_order(*, email: str, number: str) -> OrderLookup | None:
    """An order, only when BOTH its number and its customer's email match. Our recorded orders first, then
    Saleor's order by number (app token). Never says which of the two did not match."""
    number = (number or "").strip().lstrip("#")
    if not number.isdigit() or not email:
        return None
    for order in SaleorOrder.objects.filter(number=number, email__iexact=email.strip()).prefetch_related(
        "lines__product"
    ):
        return OrderLookup(
            number=order.number,
            status=order.get_status_display(),
            total=order.total,
            currency=order.currency,
            lines=[
                OrderLookupLine(
                    name=line.product.name_vi if line.product else line.sku, sku=line.sku, quantity=line.quantity
                )
                for line in order.lines.all()
            ],
        )
    try:
        instance = _instance()
    except CheckoutUnavailable:
        return None
    try:
        edges = client_for(instance).execute(doc.ORDER_BY_NUMBER, {"numbers": [number]})["orders"]["edges"]
    except SaleorError:
        logger.warning("Order lookup in Saleor failed", exc_info=True)
        return None
    node = edges[0]["node"] if edges else None
    if node is None or str(node["number"]) != number or not _same_email(node.get("userEmail"), email):
        return None
    gross = (node.get("total") or {}).get("gross") or {}
    return OrderLookup(
        number=str(node["number"]),
        status=node.get("status", ""),
        total=Decimal(str(gross["amount"])) if gross.get("amount") is not None else None,
        currency=gross.get("currency", ""),
        lines=[
            OrderLookupLine(
                name=line.get("productName") or "", sku=line.get("productSku") or "", quantity=line.get("quantity") or 0
            )
            for line in node.get("lines") or []
        ],
    )
