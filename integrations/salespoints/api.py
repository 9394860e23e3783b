"""Thin views of the sales points' machine side: the pull API (token per point) and shelf labels (staff)."""

import segno
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog.models import Product
from integrations.crypto import hash_token
from integrations.models import SalesPoint
from integrations.offers import build_offer, offer_queryset, product_url
from integrations.salespoints import permissions, services


def _point_for_token(request) -> SalesPoint | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return SalesPoint.objects.filter(api_token_hash=hash_token(token.strip())).first()


@require_GET
def assortment(request):
    """The calling point's assortment. ``If-None-Match`` with the last ETag answers 304 when unchanged."""
    point = _point_for_token(request)
    if point is None:
        response = JsonResponse({"error": "invalid_token", "message": _("A valid point token is required.")},
                                status=401)
        response["WWW-Authenticate"] = 'Bearer realm="sales-points"'
        return response
    if point.status == SalesPoint.Status.CLOSED:
        return JsonResponse({"error": "closed", "message": _("This sales point is closed.")}, status=403)
    body = services.assortment_document(point)
    etag = services.etag_of(body)
    given = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in given or f"W/{etag}" in given:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@permission_required("integrations.view_salespoint", raise_exception=True)
@require_GET
def shelf_labels(request, pk: int):
    """A printable page of shelf labels, one per product offered at the point, with its QR code."""
    point = get_object_or_404(permissions.points_for(request.user), pk=pk)  # an operator: its own points only
    products = offer_queryset(Product.objects.listable().filter(assortments__point=point)).order_by("name_vi")
    labels = []
    for product in products:
        offer = build_offer(product)
        link = product_url(product.pk)
        qr = segno.make(link, error="m")
        labels.append({"product": product, "offer": offer, "link": link, "qr_svg": qr.svg_inline(scale=3)})
    return render(request, "integrations/shelf_labels.html", {"point": point, "labels": labels})
