"""Thin views of the sales points' machine side: the token API (a point's assortment, its sales reports) and
shelf labels (staff)."""

import json
from functools import wraps

import segno
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Product
from integrations import stocking
from integrations.crypto import hash_token
from integrations.models import SalesPoint, SalesReport
from integrations.offers import build_offer, offer_queryset, product_url
from integrations.salespoints import permissions, sales_reports, services
from ocop.spreadsheets import blank


def _point_for_token(request) -> SalesPoint | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return SalesPoint.objects.filter(api_token_hash=hash_token(token.strip())).first()


def point_api(view):
    """An endpoint a sales point calls with its bearer token: 401 without a valid one; the view gets
    ``request.point``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        point = _point_for_token(request)
        if point is None:
            response = JsonResponse(
                {"error": "invalid_token", "message": _("A valid point token is required.")}, status=401
            )
            response["WWW-Authenticate"] = 'Bearer realm="sales-points"'
            return response
        request.point = point
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@point_api
def assortment(request):
    """The calling point's assortment. ``If-None-Match`` with the last ETag answers 304 when unchanged."""
    point = request.point
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
    products = list(
        offer_queryset(stocking.stockable(Product.objects.filter(assortments__point=point))).order_by("name_vi")
    )
    bases = stocking.bases(products)
    labels = []
    for product in products:
        offer = build_offer(product)
        basis = bases[product.pk]
        # The OCOP mark, stars and the QR code to the product's OCOP page only for an OCOP product (950).
        link = product_url(product.pk) if basis.ocop else ""
        qr_svg = segno.make(link, error="m").svg_inline(scale=3) if link else ""
        labels.append({"product": product, "offer": offer, "link": link, "qr_svg": qr_svg, "basis": basis})
    return render(request, "integrations/shelf_labels.html", {"point": point, "labels": labels})


@csrf_exempt  # token-authenticated (no cookie): CSRF does not apply
@require_POST
@point_api
def report_api(request):
    """``POST {"lines": [{"product": id, "month": "2026-10", "quantity_sold": n, "revenue": n,
    "closing_stock": n}, ...]}`` with the point's bearer token: all lines are saved, or none (400 with errors)."""
    point = request.point
    try:
        body = json.loads(request.body)
        lines = body["lines"]
        if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"error": "invalid_body", "message": _("Send a JSON object with a list of lines.")}, status=400
        )
    if len(lines) > sales_reports.MAX_ROWS:
        return JsonResponse({"error": "too_many_lines"}, status=400)
    # A line may name its point: only the token's own; any other code is refused as in an upload.
    rows = [
        (
            index,
            {
                **line,
                "point": point
                if blank(line.get("point")) or str(line["point"]).strip() == point.code
                else str(line["point"]),
            },
        )
        for index, line in enumerate(lines, start=1)
    ]
    try:
        reports = services.record_sales(rows=rows, points=[point], source=SalesReport.Source.API, actor=None)
    except sales_reports.SalesReportInvalid as invalid:
        return JsonResponse(
            {"error": "invalid_lines", "errors": [issue.as_dict() for issue in invalid.issues]}, status=400
        )
    return JsonResponse({"saved": len(reports)})
