"""The answers integrations gives traceability about sales points (``traceability.sales_points``).

Registered in ``apps.py``: traceability asks whether a scan's ``?sp=`` is a point's code, which point a
capture token acts for and what that point offers, without depending on this package.
"""

from django.db.models.functions import Lower

from integrations.models import Assortment, SalesPoint
from traceability.sales_points import KnownPoint


class PointDirectory:
    def canonical_codes(self, codes) -> dict[str, str]:
        wanted = {code for code in codes if code}
        if not wanted:
            return {}
        registered = {
            code.lower(): code
            for code in SalesPoint.objects.annotate(folded=Lower("code"))
            .filter(folded__in={code.lower() for code in wanted})
            .values_list("code", flat=True)
        }
        return {code: registered[code.lower()] for code in wanted if code.lower() in registered}

    def point(self, point_id: int) -> KnownPoint | None:
        point = SalesPoint.objects.filter(pk=point_id).only("code", "name", "status").first()
        if point is None:
            return None
        return KnownPoint(id=point.pk, code=point.code, name=point.name, open=point.status in SalesPoint.OPEN_STATUSES)

    def names(self, codes) -> dict[str, str]:
        wanted = {code for code in codes if code}
        if not wanted:
            return {}
        return dict(SalesPoint.objects.filter(code__in=wanted).values_list("code", "name"))

    def offered_product_ids(self, point_id: int) -> set[int]:
        return set(Assortment.objects.filter(point_id=point_id).values_list("product_id", flat=True))

    def choices(self) -> list[tuple[int, str]]:
        return [
            (pk, f"{name} ({code})")
            for pk, name, code in SalesPoint.objects.order_by("name").values_list("pk", "name", "code")
        ]
