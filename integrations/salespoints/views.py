"""The sales-point portal: Department staff manage every point; an operator sees and reports for its own.

Every view starts from ``permissions.points_for(request.user)``: a point outside it is a 404, so an operator
cannot even learn that another point exists. Changes go through ``services``.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import Product
from catalog.querysets import local_today
from integrations.dashboards import exports, maps
from integrations.dashboards import tables as dashboards
from integrations.models import InspectionFinding, InspectionPhoto, OperatorNotice, SalesPoint, SalesReport
from integrations.salespoints import services
from ocop.files import private

from . import permissions, sales_reports
from .forms import AssignProductForm, SalesReportForm, StatusForm, UploadForm

LOGIN_URL = "applications:login"


def _portal(view, perm="integrations.view_salespoint"):
    return login_required(permission_required(perm, raise_exception=True)(view), login_url=LOGIN_URL)


def _department_only(request):
    if not permissions.manages_all_points(request.user):
        raise PermissionDenied


def _point_link(point):
    return reverse("integrations:point_detail", args=[point.pk])


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = local_today().year
    return year if 2000 <= year <= 2100 else local_today().year


# Points ----------------------------------------------------------------------------------------------------
@require_GET
def point_list(request):
    points = permissions.points_for(request.user).select_related("operator", "kind").order_by("name")
    return render(
        request,
        "integrations/portal/point_list.html",
        {
            "points": points,
            "map": maps.sales_point_map(points, link=_point_link),
            "manages_all": permissions.manages_all_points(request.user),
            "unread": permissions.scope(OperatorNotice.objects.filter(read_at__isnull=True), request.user).count(),
        },
    )


@require_GET
def point_map(request):
    points = permissions.points_for(request.user)
    return HttpResponse(maps.points_map(points, link=_point_link), content_type="image/svg+xml; charset=utf-8")


@require_GET
def point_detail(request, pk: int):
    point = get_object_or_404(permissions.points_for(request.user).select_related("operator", "kind"), pk=pk)
    manages_all = permissions.manages_all_points(request.user)
    inspections = point.inspections.prefetch_related(
        Prefetch("findings", queryset=InspectionFinding.objects.select_related("criterion")), "photos", "follow_ups"
    )
    return render(
        request,
        "integrations/portal/point_detail.html",
        {
            "point": point,
            "manages_all": manages_all,
            "can_report": permissions.can_report_for(request.user, point),
            "history": point.status_history.select_related("actor"),
            "assortment": point.assortment.select_related("product__producer").order_by("product__name_vi"),
            "inspections": inspections[:10],
            "reports": point.sales_reports.select_related("product").order_by("-month", "product__name_vi")[:60],
            "status_form": StatusForm() if manages_all else None,
            "assign_form": AssignProductForm(point=point) if manages_all else None,
            "map": maps.sales_point_map([point]),
        },
    )


@require_GET
def inspection_photo(request, pk: int):
    """An inspection photo of a point the user may see (404 otherwise): private, never a public media URL."""
    photo = get_object_or_404(permissions.scope(InspectionPhoto.objects.all(), request.user), pk=pk)
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    return private.serve(photo.image, content_type=content_type, inline=True)


@require_POST
def point_status(request, pk: int):
    _department_only(request)
    point = get_object_or_404(SalesPoint, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                point=point,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
            messages.success(request, _("Status changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(_point_link(point))


@require_POST
def assortment_add(request, pk: int):
    _department_only(request)
    point = get_object_or_404(SalesPoint, pk=pk)
    product = get_object_or_404(Product, pk=request.POST.get("product") or 0)
    try:
        services.assign_product(point=point, product=product, actor=request.user)
        messages.success(request, _("%(product)s added to the assortment.") % {"product": product})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_point_link(point))


@require_POST
def assortment_remove(request, pk: int, product_id: int):
    _department_only(request)
    point = get_object_or_404(SalesPoint, pk=pk)
    services.remove_product(point=point, product=get_object_or_404(Product, pk=product_id), actor=request.user)
    messages.success(request, _("Removed from the assortment."))
    return redirect(_point_link(point))


# Stock and sales --------------------------------------------------------------------------------------------
def _form_rows(point, data) -> list:
    return [
        (
            None,
            {
                "point": point,
                "product": data["product"].pk,
                "month": data["month"],
                "quantity_sold": data["quantity_sold"],
                "revenue": data["revenue"],
                "closing_stock": data["closing_stock"],
            },
        )
    ]


@require_http_methods(["GET", "POST"])
def report_form(request, pk: int):
    point = get_object_or_404(permissions.points_for(request.user), pk=pk)
    if not permissions.can_report_for(request.user, point):
        raise PermissionDenied
    form = SalesReportForm(request.POST or None, point=point)
    issues = []
    if request.method == "POST" and form.is_valid():
        try:
            services.record_sales(
                rows=_form_rows(point, form.cleaned_data),
                points=[point],
                source=SalesReport.Source.FORM,
                actor=request.user,
            )
        except sales_reports.SalesReportInvalid as invalid:
            issues = invalid.issues
        else:
            messages.success(request, _("Report saved."))
            return redirect(_point_link(point))
    return render(request, "integrations/portal/report_form.html", {"point": point, "form": form, "issues": issues})


@require_http_methods(["GET", "POST"])
def report_upload(request):
    if not request.user.has_perm("integrations.report_sales"):
        raise PermissionDenied
    points = list(permissions.points_for(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    issues, saved = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        rows, issues = sales_reports.TEMPLATE.read(upload.read(), upload.name)
        if not issues:
            try:
                saved = len(
                    services.record_sales(
                        rows=rows, points=points, source=SalesReport.Source.UPLOAD, actor=request.user
                    )
                )
            except sales_reports.SalesReportInvalid as invalid:
                issues = invalid.issues
    status = 400 if issues else 200
    return render(
        request,
        "integrations/portal/report_upload.html",
        {"form": form, "issues": issues, "saved": saved, "points": points, "columns": sales_reports.COLUMNS},
        status=status,
    )


@require_GET
def report_template(request):
    response = HttpResponse(sales_reports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ocop-sales-report.csv"'
    return response


# Notices ----------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def notices(request):
    visible = permissions.scope(OperatorNotice.objects.select_related("point", "product"), request.user)
    if request.method == "POST":
        services.mark_notices_read(notices=visible, actor=request.user)
        return redirect("integrations:notices")
    return render(request, "integrations/portal/notices.html", {"notices": visible[:100]})


# Dashboards -------------------------------------------------------------------------------------------------
def dashboard_response(
    request,
    *,
    title: str,
    tables,
    template_context: dict,
    filename: str,
    template: str = "integrations/portal/dashboard.html",
):
    output = request.GET.get("format", "")
    if output == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(tables), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if output == "pdf":
        response = HttpResponse(exports.to_pdf(title, tables), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    return render(request, template, {"title": title, "tables": tables, **template_context})


@require_GET
def ocop_dashboard(request):
    year = _year(request)
    today = local_today()
    tables = dashboards.ocop_office(today=today, year=year)
    return dashboard_response(
        request,
        title=_("OCOP office dashboard"),
        tables=tables,
        template_context={"year": year, "today": today},
        filename=f"ocop-{year}",
    )


@require_GET
def department_dashboard(request):
    year = _year(request)
    points = permissions.points_for(request.user)
    tables = dashboards.department(points, year=year)
    return dashboard_response(
        request,
        title=_("Department of Industry and Trade dashboard"),
        tables=tables,
        template_context={"year": year, "map": maps.sales_point_map(points, link=_point_link)},
        filename=f"sales-points-{year}",
    )


point_list = _portal(point_list)
point_map = _portal(point_map)
point_detail = _portal(point_detail)
inspection_photo = _portal(inspection_photo, "integrations.view_inspectionphoto")
point_status = _portal(point_status, "integrations.change_salespoint")
assortment_add = _portal(assortment_add, "integrations.add_assortment")
assortment_remove = _portal(assortment_remove, "integrations.delete_assortment")
report_form = _portal(report_form, "integrations.report_sales")
report_upload = _portal(report_upload, "integrations.report_sales")
report_template = _portal(report_template, "integrations.report_sales")
notices = _portal(notices, "integrations.view_operatornotice")
ocop_dashboard = _portal(ocop_dashboard, "catalog.view_all_records")
department_dashboard = _portal(department_dashboard, "integrations.view_all_points")
