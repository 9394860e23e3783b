"""The public register pages: the list (searchable, filterable, paginated) and its XLSX/CSV download."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from catalog.querysets import local_today

from . import export
from .queries import MAX_DOWNLOAD_ROWS, PAGE_SIZE, RegisterFilter, register, status_of


def _filtered(request):
    form = RegisterFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data


def _rows(page_products, today):
    english = (get_language() or "vi").startswith("en")
    return [{"product": product, "status": status_of(product, today), "english": english} for product in page_products]


@require_GET
def register_list(request):
    today = local_today()
    form, data = _filtered(request)
    paginator = Paginator(register(data, today), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "catalog/register/list.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page.object_list, today),
            "today": today,
            "base_query": params.urlencode(),
        },
    )


@require_GET
def register_download(request, fmt: str):
    today = local_today()
    _form, data = _filtered(request)
    products = list(register(data, today)[:MAX_DOWNLOAD_ROWS])
    body, content_type = export.document(products, fmt=fmt, today=today)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ocop-dak-lak-register-{today:%Y%m%d}.{fmt}"'
    return response
