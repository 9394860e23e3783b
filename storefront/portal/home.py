"""The producers' portal home (/portal/): one producer's dashboard.

A producer account sees its own producer's figures only (``Membership.producer``); anyone else is refused.
The page, and its XLSX export, are the same tables. The figures are the sales side's
(``integrations.dashboards.producer_tables``), registered here at start-up by ``integrations/apps.py``: the store
never imports the integrations (the dependency check in ``tests/test_demo.py``), as ``traceability.where_to_buy``
does for the scan page.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.querysets import local_today

from .access import producer_page

#: Set by ``register_dashboard``: a module or object with ``tables(producer, *, year, today)``,
#: ``summary(producer, tables, *, today)`` and ``to_xlsx(tables)``.
_dashboard = None


def register_dashboard(dashboard) -> None:
    global _dashboard
    _dashboard = dashboard


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


@producer_page
@require_GET
def dashboard(request):
    today = local_today()
    year = _year(request, today)
    producer = request.producer
    result = _dashboard.tables(producer, year=year, today=today)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            _dashboard.to_xlsx(result), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="ocop-producer-{year}.xlsx"'
        return response
    return render(
        request,
        "integrations/producer/dashboard.html",
        {
            "producer": producer,
            "year": year,
            "tables": result,
            "summary": _dashboard.summary(producer, result, today=today),
        },
    )
