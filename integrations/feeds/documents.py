"""Product feeds pulled by Google Merchant Center (RSS 2.0 with g:) and Meta catalogs (CSV).

Both list exactly the listable products that have a store offer (a price): nothing else can be sold.
"""

import csv
import io
from xml.etree import ElementTree as ET  # noqa: S405 - we only build XML here, never parse input

from django.conf import settings

from catalog.models import Product
from integrations.offers import Offer, build_offer, offer_queryset

G = "http://base.google.com/ns/1.0"
ET.register_namespace("g", G)

META_COLUMNS = [
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "gtin",
    "google_product_category",
    "custom_label_0",
]


def feed_offers(today=None) -> list[Offer]:
    products = offer_queryset(Product.objects.sellable(today)).order_by("pk")
    return [offer for offer in map(build_offer, products) if offer is not None]


def feed_id(offer: Offer) -> str:
    return offer.sku[:50]


def price_text(offer: Offer) -> str:
    return f"{offer.price_vnd} VND"


def google_feed(offers: list[Offer]) -> bytes:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = "OCOP Đắk Lắk"
    ET.SubElement(channel, "link").text = settings.PUBLIC_BASE_URL
    ET.SubElement(channel, "description").text = "OCOP certified products of Đắk Lắk"
    for offer in offers:
        item = ET.SubElement(channel, "item")

        def g(name, value, item=item):
            ET.SubElement(item, f"{{{G}}}{name}").text = str(value)

        g("id", feed_id(offer))
        g("title", offer.title[:150])
        g("description", (f"{offer.description}\n{offer.ocop_line}").strip()[:5000])
        g("link", offer.link)
        g("image_link", offer.image_link)
        g("availability", "in_stock" if offer.in_stock else "out_of_stock")
        g("price", price_text(offer))
        g("condition", "new")
        g("brand", offer.brand[:70])
        if offer.gtin:
            g("gtin", offer.gtin)
        else:
            g("mpn", offer.sku)
            g("identifier_exists", "no")
        if offer.stars:
            g("custom_label_0", f"OCOP {offer.stars} sao")
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def meta_feed(offers: list[Offer]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=META_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for offer in offers:
        writer.writerow(
            {
                "id": feed_id(offer),
                "title": offer.title[:200],
                "description": (f"{offer.description}\n{offer.ocop_line}").strip()[:9999],
                "availability": "in stock" if offer.in_stock else "out of stock",
                "condition": "new",
                "price": price_text(offer),
                "link": offer.link,
                "image_link": offer.image_link,
                "brand": offer.brand,
                "gtin": offer.gtin,
                "google_product_category": "",
                "custom_label_0": f"OCOP {offer.stars} sao" if offer.stars else "",
            }
        )
    return out.getvalue()
