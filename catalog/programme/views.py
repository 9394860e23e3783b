"""Pages of the OCOP office and of commune officers (/programme/): events, partners, the pipeline, reports.

Thin: parse the form, find the object within the user's scope (``catalog.permissions.scope``: 404 outside it),
call one service, turn its refusal into a message on the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from catalog.applications.models import Application
from catalog.forms import apply_validation_error
from catalog.permissions import scope, sees_everything
from ocop.access import signed_in_and

from . import querysets, services
from .forms import (
    CommuneReportForm,
    DecisionForm,
    EventForm,
    LinkApplicationForm,
    PartnerForm,
    PeriodForm,
    PotentialProductForm,
    producers_of_commune,
)
from .models import CommuneReport, Event, Participation, Partner, PotentialProduct, ReportingPeriod
from .permissions import is_commune_officer, manages_programme

LOGIN_URL = "applications:login"


def _page(allowed):
    return signed_in_and(allowed, login_url=LOGIN_URL)


def _reads_everything(user) -> bool:
    return sees_everything(user) and user.has_perm("programme.view_event")


def _pipeline_user(user) -> bool:
    return is_commune_officer(user) or _reads_everything(user)


office_page = _page(manages_programme)
reader_page = _page(_reads_everything)
pipeline_page = _page(_pipeline_user)


def _message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


@login_required(login_url=LOGIN_URL)
def home(request):
    if _reads_everything(request.user):
        return redirect("programme:events")
    if is_commune_officer(request.user):
        return redirect("programme:pipeline")
    raise PermissionDenied


# --- Events ------------------------------------------------------------------------------------------------


@reader_page
def events(request):
    rows = querysets.participation_summary(Event.objects.order_by("-starts_on"))
    return render(request, "programme/events.html", {"rows": rows, "manages": manages_programme(request.user)})


@office_page
@require_http_methods(["GET", "POST"])
def event_edit(request, pk=None):
    event = get_object_or_404(Event, pk=pk) if pk else Event()
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.save_event(event=form.save(commit=False), actor=request.user)
            event.partners.set(form.cleaned_data["partners"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, gettext("The event is saved."))
            return redirect("programme:event", pk=event.pk)
    return render(request, "programme/event_form.html", {"form": form, "event": event})


@reader_page
def event_detail(request, pk):
    event = get_object_or_404(Event, pk=pk)
    participations = (
        event.participations.select_related("producer__commune")
        .prefetch_related("products", "sales__product")
        .order_by("status", "booth", "producer__name")
    )
    return render(
        request,
        "programme/event_detail.html",
        {
            "event": event,
            "participations": participations,
            "manages": manages_programme(request.user),
            "summary": querysets.participation_summary(Event.objects.filter(pk=event.pk))[0],
        },
    )


@office_page
@require_POST
def event_action(request, pk, action):
    event = get_object_or_404(Event, pk=pk)
    operation = {
        "announce": services.announce_event,
        "close": services.close_selection,
        "cancel": services.cancel_event,
    }.get(action)
    if operation is None:
        raise PermissionDenied
    try:
        operation(event=event, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, gettext("Done."))
    return redirect("programme:event", pk=event.pk)


@office_page
@require_POST
def decide(request, pk):
    participation = get_object_or_404(Participation, pk=pk)
    form = DecisionForm(request.POST)
    selected = request.POST.get("decision") == "select"
    if form.is_valid():
        try:
            services.decide(
                participation=participation,
                actor=request.user,
                selected=selected,
                booth=form.cleaned_data["booth"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, gettext("Selected.") if selected else gettext("Not selected."))
    return redirect("programme:event", pk=participation.event_id)


# --- Partners ----------------------------------------------------------------------------------------------


@reader_page
@require_http_methods(["GET", "POST"])
def partners(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST":
        if not manages_programme(request.user):
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, gettext("The partner is added."))
            return redirect("programme:partners")
    rows = Partner.objects.prefetch_related("events", "products", "tours").order_by("kind", "name")
    return render(
        request, "programme/partners.html", {"partners": rows, "form": form, "manages": manages_programme(request.user)}
    )


# --- The pipeline ------------------------------------------------------------------------------------------


def _commune(request):
    membership = request.user.ocop_membership if is_commune_officer(request.user) else None
    return membership.commune if membership else None


@pipeline_page
@require_http_methods(["GET", "POST"])
def pipeline(request):
    commune = _commune(request)
    visible = scope(PotentialProduct.objects.all(), request.user)
    form = None
    if commune is not None:
        form = PotentialProductForm(request.POST or None, producers=producers_of_commune(commune))
        if request.method == "POST" and form.is_valid():
            try:
                services.record_potential_product(potential=form.save(commit=False), actor=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, gettext("The potential product is recorded."))
                return redirect("programme:pipeline")
    elif request.method == "POST":
        raise PermissionDenied
    rows = querysets.with_stage(visible).select_related("commune", "group", "producer", "application")
    return render(
        request,
        "programme/pipeline.html",
        {
            "rows": rows,
            "form": form,
            "commune": commune,
            "by_commune": querysets.pipeline_counts(visible, by="commune"),
            "by_group": querysets.pipeline_counts(visible, by="group"),
            "by_year": querysets.pipeline_counts(visible, by="year"),
            "stages": querysets.PIPELINE_STAGES,
        },
        status=400 if form is not None and form.errors else 200,
    )


@pipeline_page
@require_http_methods(["GET", "POST"])
def potential_detail(request, pk):
    potential = get_object_or_404(querysets.with_stage(scope(PotentialProduct.objects.all(), request.user)), pk=pk)
    commune = _commune(request)
    applications = (
        scope(Application.objects.all(), request.user)
        .filter(producer__commune=potential.commune, potential_product__isnull=True)
        .exclude(status=Application.Status.DRAFT)
        .select_related("product", "producer")
    )
    form = LinkApplicationForm(request.POST or None, applications=applications) if commune else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.link_application(
                    potential=potential, application=form.cleaned_data["application"], actor=request.user
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, gettext("The potential product now follows the application."))
                return redirect("programme:potential", pk=potential.pk)
    return render(request, "programme/potential_detail.html", {"potential": potential, "form": form})


# --- Reporting periods -------------------------------------------------------------------------------------


def _period_user(user) -> bool:
    return is_commune_officer(user) or _reads_everything(user)


period_page = _page(_period_user)


@period_page
@require_http_methods(["GET", "POST"])
def periods(request):
    manages = manages_programme(request.user)
    form = PeriodForm(request.POST or None) if manages else None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if form.is_valid():
            try:
                period = services.open_period(period=form.save(commit=False), actor=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, gettext("The reporting period is open; the communes are told."))
                return redirect("programme:period", pk=period.pk)
    commune = _commune(request)
    rows = ReportingPeriod.objects.all()
    if commune is not None:
        rows = rows.filter(communes=commune)
    answered = set(scope(CommuneReport.objects.all(), request.user).values_list("period_id", flat=True))
    return render(
        request,
        "programme/periods.html",
        {
            "periods": rows.prefetch_related("communes", "reports"),
            "form": form,
            "commune": commune,
            "answered": answered,
            "manages": manages,
        },
    )


@period_page
@require_http_methods(["GET", "POST"])
def period_detail(request, pk):
    commune = _commune(request)
    periods = ReportingPeriod.objects.all()
    if commune is not None:
        periods = periods.filter(communes=commune)
    period = get_object_or_404(periods, pk=pk)
    form = None
    if commune is not None:
        report = CommuneReport.objects.filter(period=period, commune=commune).first()
        form = CommuneReportForm(
            request.POST or None, instance=report, initial=None if report else services.prefill(period, commune)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_report(period=period, commune=commune, values=form.cleaned_data, actor=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, gettext("Your commune's report is sent to the OCOP office."))
                return redirect("programme:period", pk=period.pk)
    elif request.method == "POST":
        if not manages_programme(request.user):
            raise PermissionDenied
        reminded = services.remind(period=period, actor=request.user)
        messages.success(request, gettext("%(count)s officers reminded.") % {"count": reminded})
        return redirect("programme:period", pk=period.pk)
    reports = scope(period.reports.select_related("commune", "submitted_by"), request.user)
    return render(
        request,
        "programme/period_detail.html",
        {
            "period": period,
            "form": form,
            "commune": commune,
            "reports": reports,
            "missing": services.missing_reports(period) if commune is None else None,
            "manages": manages_programme(request.user),
        },
    )
