"""Setting up a Saleor instance for us: the OCOP product type, category, attributes and channels, and the
webhooks we subscribe to; what every other part needs to talk to the instance (``client_for``)."""

from django.conf import settings

from storefront.saleor_app import documents as doc
from storefront.saleor_app import manifest
from storefront.saleor_app.client import SaleorClient, SaleorMutationError, normalize_api_url
from storefront.saleor_app.models import SaleorInstance

PRODUCT_TYPE_SLUG = "ocop"
CATEGORY_SLUG = "ocop"
EXTERNAL_REFERENCE_PREFIX = "ocop-product-"
#: Saleor attributes of the OCOP product type: slug → (name, input type).
ATTRIBUTES = {
    "ocop-stars": ("OCOP stars", "DROPDOWN"),
    "ocop-product-group": ("OCOP product group", "DROPDOWN"),
    "ocop-producer": ("OCOP producer", "PLAIN_TEXT"),
    "ocop-decision-number": ("OCOP certification decision", "PLAIN_TEXT"),
}
UNPUBLISHED = {"isPublished": False, "isAvailableForPurchase": False, "visibleInListings": False}
PUBLISHED = {"isPublished": True, "isAvailableForPurchase": True, "visibleInListings": True}

#: Outbox topic: a Saleor product may be published while it must not be; check and unpublish.
SALEOR_PRODUCT_CHECK = "saleor.product_check"


class SetupError(Exception):
    pass


def client_for(instance: SaleorInstance) -> SaleorClient:
    return SaleorClient(instance.api_url, instance.token)


def configured_api_url() -> str:
    return normalize_api_url(settings.SALEOR_API_URL) if settings.SALEOR_API_URL else ""


def _first_node(connection: dict | None) -> dict | None:
    edges = (connection or {}).get("edges") or []
    return edges[0]["node"] if edges else None


def _find_or_create(find, create, *, looked_up: bool = False) -> dict:
    """Find by slug, else create; when a concurrent setup (a sync and ``saleor_app_register``) created it
    meanwhile, Saleor answers UNIQUE: take the one that exists."""
    found = None if looked_up else find()
    if found is not None:
        return found
    try:
        return create()
    except SaleorMutationError as exc:
        found = find() if "UNIQUE" in exc.codes else None
        if found is None:
            raise
        return found


def ensure_setup(instance: SaleorInstance, client: SaleorClient | None = None) -> dict:
    """Find or create what the sync needs in Saleor; remember the ids on the instance."""
    if instance.setup.get("product_type") and instance.setup.get("channels"):
        return instance.setup
    client = client or client_for(instance)
    channels = client.execute(doc.CHANNELS)["channels"]
    if settings.SALEOR_CHANNELS:
        chosen = [c for c in channels if c["slug"] in settings.SALEOR_CHANNELS]
    else:
        chosen = [c for c in channels if c["currencyCode"] == "VND" and c["isActive"]]
    if not chosen:
        raise SetupError("Saleor has no active VND channel for the store (set SALEOR_CHANNELS)")
    warehouses = [w for c in chosen for w in c["warehouses"]]
    if settings.SALEOR_WAREHOUSE:
        warehouses = [w for w in warehouses if w["slug"] == settings.SALEOR_WAREHOUSE]
    if not warehouses:
        raise SetupError("No warehouse serves the store's channels (set SALEOR_WAREHOUSE)")

    category = _find_or_create(
        lambda: _first_node(client.execute(doc.CATEGORIES_BY_SLUG, {"slugs": [CATEGORY_SLUG]})["categories"]),
        lambda: client.mutate(doc.CATEGORY_CREATE, {"input": {"name": "OCOP Đắk Lắk", "slug": CATEGORY_SLUG}})[
            "category"
        ],
    )

    found = client.execute(doc.ATTRIBUTES_BY_SLUG, {"slugs": list(ATTRIBUTES)})["attributes"]["edges"]
    attributes = {edge["node"]["slug"]: edge["node"]["id"] for edge in found}
    for slug, (name, input_type) in ATTRIBUTES.items():
        if slug not in attributes:
            created = _find_or_create(
                lambda slug=slug: _first_node(client.execute(doc.ATTRIBUTES_BY_SLUG, {"slugs": [slug]})["attributes"]),
                lambda slug=slug, name=name, input_type=input_type: client.mutate(
                    doc.ATTRIBUTE_CREATE,
                    {
                        "input": {
                            "name": name,
                            "slug": slug,
                            "type": "PRODUCT_TYPE",
                            "inputType": input_type,
                            "valueRequired": False,
                            "filterableInStorefront": input_type == "DROPDOWN",
                        }
                    },
                )["attribute"],
                looked_up=True,
            )
            attributes[slug] = created["id"]

    product_type = _find_or_create(
        lambda: _first_node(client.execute(doc.PRODUCT_TYPES_BY_SLUG, {"slugs": [PRODUCT_TYPE_SLUG]})["productTypes"]),
        lambda: client.mutate(
            doc.PRODUCT_TYPE_CREATE,
            {
                "input": {
                    "name": "OCOP",
                    "slug": PRODUCT_TYPE_SLUG,
                    "kind": "NORMAL",
                    "hasVariants": False,
                    "isShippingRequired": True,
                    "productAttributes": [attributes[s] for s in ATTRIBUTES],
                }
            },
        )["productType"],
    )

    instance.setup = {
        "channels": [{"id": c["id"], "slug": c["slug"]} for c in chosen],
        "warehouse": warehouses[0]["id"],
        "category": category["id"],
        "attributes": attributes,
        "product_type": product_type["id"],
    }
    SaleorInstance.objects.filter(pk=instance.pk).update(setup=instance.setup)
    return instance.setup


def ensure_webhooks(instance: SaleorInstance, client: SaleorClient | None = None) -> list[str]:
    """Bring the webhooks Saleor keeps for our App in line with the manifest; returns the names created or updated.

    Saleor reads the manifest only when it installs the App, so an App installed by an earlier release keeps its
    old subscriptions (without the signed envelope the webhook endpoint now requires) until this runs:
    ``saleor_app_register`` calls it on every release. The app token may manage its own webhooks."""
    client = client or client_for(instance)
    app = client.execute(doc.APP_WEBHOOKS).get("app") or {}
    current = {hook["name"]: hook for hook in app.get("webhooks") or []}
    target = manifest.absolute("saleor_app:webhook")
    changed = []
    for name, event, query in manifest.WEBHOOKS:
        hook = current.get(name)
        wanted = {"targetUrl": target, "query": query, "asyncEvents": [event], "isActive": True}
        if hook is None:
            client.mutate(doc.WEBHOOK_CREATE, {"input": {"name": name, **wanted}})
        elif (hook["subscriptionQuery"], hook["targetUrl"], hook["isActive"]) != (query, target, True) or [
            e["eventType"] for e in hook["asyncEvents"]
        ] != [event]:
            client.mutate(doc.WEBHOOK_UPDATE, {"id": hook["id"], "input": wanted})
        else:
            continue
        changed.append(name)
    return changed
