"""Our product as every destination sees it: one offer built from the registry and the store listing."""

import dataclasses
import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from ocop.files import renditions
from ocop.links import public_url as absolute


def product_url(product_id: int) -> str:
    """The product's public page (the QR target on shelf labels and the link in feeds)."""
    try:
        return absolute(reverse("storefront:product", args=[product_id]))
    except NoReverseMatch:
        return absolute(f"/products/{product_id}/")


@dataclasses.dataclass(frozen=True)
class Offer:
    product_id: int
    sku: str
    title: str
    title_en: str
    description: str
    price: Decimal  # VND, whole dong
    stock: int
    link: str
    image_link: str
    brand: str
    gtin: str
    stars: int | None
    certificate_number: str
    certified_until: datetime.date | None
    weight_grams: int | None

    @property
    def price_vnd(self) -> int:
        return int(self.price)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def ocop_line(self) -> str:
        if not self.stars:
            return ""
        return f"OCOP {self.stars}★ — {self.certificate_number}".strip(" —")


def _image_url(product) -> str:
    """The product's photo for partners: its largest JPEG rendition (every marketplace reads JPEG), else the
    original, else the placeholder card."""
    if not product.image:
        return settings.INTEGRATIONS_PLACEHOLDER_IMAGE_URL
    found = renditions.sources(product.image)
    return absolute(found.largest_jpeg if found else product.image.url)


def build_offer(product) -> Offer | None:
    """The offer of ``product`` (loaded through ``offer_queryset``), or None when it has no store price."""
    listing = getattr(product, "store_listing", None)
    if listing is None:
        return None
    certificate = product.current_certificate
    image = _image_url(product)
    description = product.description_vi or product.story_vi or product.name_vi
    return Offer(
        product_id=product.pk,
        sku=listing.sku,
        title=product.name_vi,
        title_en=product.name_en,
        description=description,
        price=listing.price,
        stock=listing.stock,
        link=product_url(product.pk),
        image_link=image,
        brand=product.producer.name,
        gtin=product.gtin or "",
        stars=product.certified_stars,
        certificate_number=certificate.decision.number if certificate else "",
        certified_until=product.certified_until,
        weight_grams=listing.weight_grams,
    )


def offer_queryset(queryset):
    return queryset.select_related("store_listing", "producer", "current_certificate__decision")
