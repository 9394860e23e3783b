"""Figures of the sales points for the Department of Industry and Trade: functions over querysets."""

import datetime
from collections import Counter

from django.db.models import Count, Prefetch, Sum

from integrations.models import Destination, Inspection, InspectionFinding, ListingState, SalesPoint, SalesReport


def sales_rows(points, *, year: int):
    """Reported sales per point, product and month of ``year`` (only the given points)."""
    return (
        SalesReport.objects.filter(point__in=points, month__year=year)
        .select_related("point", "product")
        .order_by("point__name", "product__name_vi", "month")
    )


def _sales_by(points, *, year: int, by: str) -> list[dict]:
    """Quantity and revenue per ``by`` ("point" or "product"), the largest revenue first."""
    name = {"point": "point__name", "product": "product__name_vi"}[by]
    rows = (
        SalesReport.objects.filter(point__in=points, month__year=year)
        .values(f"{by}__pk", name)
        .annotate(quantity=Sum("quantity_sold"), revenue=Sum("revenue"))
        .order_by("-revenue", name)
    )
    return [{f"{by}_id": r[f"{by}__pk"], by: r[name], "quantity": r["quantity"], "revenue": r["revenue"]} for r in rows]


def sales_by_point(points, *, year: int) -> list[dict]:
    return _sales_by(points, year=year, by="point")


def sales_by_product(points, *, year: int) -> list[dict]:
    return _sales_by(points, year=year, by="product")


def sales_by_month(points, *, year: int) -> list[dict]:
    """Twelve rows, months without reports at zero."""
    rows = {
        r["month"]: r
        for r in SalesReport.objects.filter(point__in=points, month__year=year)
        .values("month")
        .annotate(quantity=Sum("quantity_sold"), revenue=Sum("revenue"))
    }
    result = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        row = rows.get(first, {})
        result.append({"month": first, "quantity": row.get("quantity") or 0, "revenue": row.get("revenue") or 0})
    return result


def points_by_status(points) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, zeros included."""
    counts = dict(points.values_list("status").annotate(n=Count("pk")).order_by())
    return [(value, str(label), counts.get(value, 0)) for value, label in SalesPoint.Status.choices]


def inspection_outcomes(points, *, year: int) -> dict:
    """Inspections of ``year``: how many passed (no failed criterion) and failed, and failures per criterion."""
    inspections = list(
        Inspection.objects.filter(point__in=points, inspected_on__year=year).prefetch_related(
            Prefetch("findings", queryset=InspectionFinding.objects.select_related("criterion")), "follow_ups"
        )
    )
    passed = sum(1 for inspection in inspections if inspection.passed)
    failures = Counter()
    labels = {}
    for inspection in inspections:
        for finding in inspection.findings.all():
            if finding.result == InspectionFinding.Result.FAIL:
                failures[finding.criterion.code] += 1
                labels[finding.criterion.code] = finding.criterion
    by_criterion = [
        {"criterion": labels[code], "failures": n}
        for code, n in sorted(failures.items(), key=lambda item: (-item[1], labels[item[0]].order))
    ]
    open_follow_ups = sum(1 for i in inspections for f in i.follow_ups.all() if f.done_on is None)
    return {
        "total": len(inspections),
        "passed": passed,
        "failed": len(inspections) - passed,
        "by_criterion": by_criterion,
        "open_follow_ups": open_follow_ups,
    }


def listed_by_destination() -> list[dict]:
    """Per marketplace shop: the products listed there now (ListingState.listed)."""
    result = []
    for destination in Destination.objects.order_by("kind", "name"):
        products = [
            state.product
            for state in ListingState.objects.filter(destination=destination, listed=True)
            .select_related("product")
            .order_by("product__name_vi")
        ]
        result.append({"destination": destination, "count": len(products), "products": products})
    return result
