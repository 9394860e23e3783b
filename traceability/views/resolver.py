"""The GS1 Digital Link resolver's answers: a link type (307 to it), the linkset of an item, and
``/.well-known/gs1resolver``."""

import json

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from traceability.identifiers import base_url, item_path
from traceability.querysets import Status

GS1_VOC = "https://gs1.org/voc/"
LINK_TYPES = ("pip", "certificationInfo", "traceability", "epcis")
LINKSET = "application/linkset+json"

def _wanted_link_type(request) -> str | None:
    value = request.GET.get("linkType")
    if value:
        return value.removeprefix(GS1_VOC).removeprefix("gs1:")
    if LINKSET in request.headers.get("Accept", ""):
        return "all"
    return None


def _links(record) -> dict[str, str]:
    path = item_path(gtin=record.gtin, lot=record.lot_number, serial=record.serial, expires_on=record.expires_on)
    page = base_url() + path
    store = _store_url(record.product_id)
    return {
        "pip": base_url() + store if store else f"{page}#product",
        "certificationInfo": f"{page}#certificate",
        "traceability": f"{page}#history",
        "epcis": base_url() + reverse("traceability:epcis_events") + f"?item={record.serial}",
        "defaultLink": page,
    }


def _resolver_answer(request, record, link_type: str):
    if record is None:
        return JsonResponse({"error": "unknown_code", "message": str(Status.LABELS[Status.UNKNOWN])}, status=404)
    links = _links(record)
    if link_type in links:
        return HttpResponseRedirect(links[link_type], status=307)
    if link_type != "all":  # GS1 resolver: an unavailable link type falls back to the default link
        return HttpResponseRedirect(links["defaultLink"], status=307)
    titles = {"pip": "Product information", "certificationInfo": "OCOP certificate",
              "traceability": "Traceability", "epcis": "EPCIS events", "defaultLink": "Scan page"}
    anchor = links["defaultLink"]
    body = {"linkset": [{
        "anchor": anchor,
        **{
            f"{GS1_VOC}{kind}": [{
                "href": href, "title": titles[kind],
                "type": "application/ld+json" if kind == "epcis" else "text/html",
                "hreflang": ["vi", "en"],
            }]
            for kind, href in links.items()
        },
    }]}
    response = HttpResponse(json.dumps(body), content_type=LINKSET)
    response["Link"] = f'<{anchor}>; rel="{GS1_VOC}defaultLink"'
    response["Vary"] = "Accept"
    return response


def _store_url(product_id: int) -> str | None:
    try:
        return reverse("storefront:product", args=[product_id])
    except NoReverseMatch:
        return None

@require_GET
def resolver_description(request):
    """``/.well-known/gs1resolver``: what this resolver serves (GS1-Conformant Resolver standard)."""
    return JsonResponse({
        "name": "OCOP Đắk Lắk traceability resolver",
        "resolverRoot": base_url(),
        "supportedPrimaryKeys": ["01"],
        "linkTypeDefaultCanBeLinkset": False,
        "supportedLinkType": [
            {"namespace": GS1_VOC, "prefix": "gs1:", "profile": f"{GS1_VOC}{kind}"} for kind in LINK_TYPES
        ] + [{"namespace": GS1_VOC, "prefix": "gs1:", "profile": f"{GS1_VOC}defaultLink"}],
        "supportedContextValuesEnumerated": ["vi", "en"],
        "shortUriPattern": f"{base_url()}/q/{{serial}}",
    })
