"""The producers' portal pages of the programme (/portal/events/): events open to applications, the producer's
own participations, and the post-event report (form or spreadsheet, all or nothing).

A producer account sees every public event and only its own participations (``of_producer`` of the one rule).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.forms import apply_validation_error
from catalog.models import Product
from catalog.permissions import of_producer
from catalog.programme import event_sales, querysets, services
from catalog.programme.forms import ApplyForm, EventSalesForm, UploadForm
from catalog.programme.models import Event, Participation
from catalog.querysets import local_today

from .access import producer_page


def _mine(request):
    return of_producer(Participation.objects.all(), request.producer)


def _visible_events(request):
    """Public events, and any event the producer has taken part in (even once it is over)."""
    return Event.objects.filter(Q(status__in=Event.PUBLIC) | Q(participations__in=_mine(request))).distinct()


@producer_page
@require_GET
def events(request):
    mine = _mine(request).select_related("event").order_by("-event__starts_on")
    return render(
        request,
        "programme/portal/events.html",
        {
            "open": querysets.open_for_applications().exclude(participations__in=_mine(request)),
            "mine": mine,
            "today": local_today(),
        },
    )


def _own_products(request):
    return Product.objects.listable().filter(producer=request.producer).order_by("name_vi")


@producer_page
@require_http_methods(["GET", "POST"])
def event(request, pk):
    event = get_object_or_404(_visible_events(request), pk=pk)
    participation = _mine(request).filter(event=event).first()
    form = ApplyForm(request.POST or None, products=_own_products(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_to_event(
                event=event, actor=request.user, products=form.cleaned_data["products"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, gettext("Your application is sent to the OCOP office."))
            return redirect("programme_portal:event", pk=event.pk)
    can_apply = event in querysets.open_for_applications() and (
        participation is None or participation.status == Participation.Status.WITHDRAWN
    )
    can_report = (
        participation is not None
        and participation.status == Participation.Status.SELECTED
        and event.starts_on <= local_today()
    )
    return render(
        request,
        "programme/portal/event.html",
        {
            "event": event,
            "participation": participation,
            "form": form if can_apply else None,
            "can_report": can_report,
            "today": local_today(),
            "sales_form": EventSalesForm(products=participation.products.all()) if can_report else None,
            "upload_form": UploadForm() if can_report else None,
        },
        status=400 if form.errors else 200,
    )


@producer_page
@require_POST
def withdraw(request, pk):
    participation = get_object_or_404(_mine(request), pk=pk)
    try:
        services.withdraw(participation=participation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("programme_portal:event", pk=participation.event_id)


@producer_page
@require_POST
def report(request, pk):
    """The post-event report, from the form (one line per product shown) or from a CSV/XLSX file."""
    participation = get_object_or_404(_mine(request).select_related("event"), pk=pk)
    products = participation.products.all()
    upload = "file" in request.FILES
    form = UploadForm(request.POST, request.FILES) if upload else EventSalesForm(request.POST, products=products)
    issues, rows = [], []
    if form.is_valid():
        if upload:
            file = form.cleaned_data["file"]
            rows, issues = event_sales.TEMPLATE.read(file.read(), file.name)
        else:
            rows = form.rows()
        if not issues:
            try:
                saved = services.report_sales(
                    participation=participation,
                    rows=rows,
                    contacts=form.cleaned_data.get("contacts"),
                    actor=request.user,
                )
            except event_sales.EventSalesInvalid as invalid:
                issues = invalid.issues
            except ValidationError as error:
                raise Http404 from error
            else:
                messages.success(request, gettext("Your report is saved: %(count)s products.") % {"count": len(saved)})
                return redirect("programme_portal:event", pk=participation.event_id)
    return render(
        request,
        "programme/portal/event.html",
        {
            "event": participation.event,
            "participation": participation,
            "can_report": True,
            "issues": issues,
            "today": local_today(),
            "sales_form": form if not upload else EventSalesForm(products=products),
            "upload_form": form if upload else UploadForm(),
        },
        status=400,
    )


@producer_page
@require_GET
def report_template(request, pk):
    participation = get_object_or_404(_mine(request), pk=pk)
    response = HttpResponse(event_sales.template_csv(participation), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ocop-event-sales-{participation.event_id}.csv"'
    return response
