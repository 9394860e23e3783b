"""Pages of the producers' portal and of the levels (commune, councils, certifying authorities).

Thin: parse the form, find the object within the user's scope (404 outside it), call one service, turn its
refusal into a message on the page.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from catalog.applications import services
from catalog.applications.forms import (
    AcceptInvitationForm,
    ApplicationForm,
    CloseScoringForm,
    CommentForm,
    DecisionForm,
    DocumentForm,
    InvitationForm,
    PreAssessmentForm,
    RequestDocumentsForm,
    ScoreForm,
)
from catalog.applications.models import Application, ApplicationDocument, LevelSeat, Notice
from catalog.forms import apply_validation_error
from catalog.models import Level
from catalog.permissions import scope
from ocop.files import private
from ocop.service_messages import attempt, form_errors

from .access import LOGIN_URL, portal_page, producer_page, staff_page

REQUESTABLE = (Application.Status.SUBMITTED, Application.Status.SCORING, Application.Status.AWAITING_DECISION)

_portal_page = portal_page
#: Level staff who open a producer page are sent to their queue.
_producer_page = producer_page(staff_home=("applications:staff_queue", services.is_level_staff))
_staff_page = staff_page(services.is_level_staff)


class LoginView(auth_views.LoginView):
    template_name = "applications/login.html"
    redirect_authenticated_user = True

    extra_context = {"hide_sign_in": True}

    def get_default_redirect_url(self):
        # One sign-in page for every role: each lands on its own home (ocop.navigation).
        from ocop.navigation import home_url

        return home_url(self.request.user)


# --- Accounts -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = services.find_invitation(token)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(token=token, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, gettext("Your account is ready: sign in."))
            return redirect(LOGIN_URL)
    return render(request, "applications/accept_invitation.html", {"form": form, "invitation": invitation})


@_staff_page
@require_http_methods(["GET", "POST"])
def invite(request):
    form = InvitationForm(request.POST or None)
    form.fields["producer"].queryset = scope(form.fields["producer"].queryset, request.user)
    url = None
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, url = services.invite_producer(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
    return render(request, "applications/invite.html", {"form": form, "url": url})


# --- The producer's pages ---------------------------------------------------------------------------------


@_producer_page
def application_list(request):
    applications = (
        services.producer_applications(request.user).select_related("product", "rule_set").order_by("-created_at")
    )
    return render(request, "applications/list.html", {"applications": applications, "producer": request.producer})


@_producer_page
@require_http_methods(["GET", "POST"])
def application_new(request):
    _product, initial, previous = services.prefill_from_last(request.producer, request.GET.get("renew"))
    form = ApplicationForm(request.POST or None, producer=request.producer, initial=initial)
    if request.method == "POST" and form.is_valid():
        previous_id = request.POST.get("previous")
        previous = (
            services.producer_applications(request.user).filter(pk=previous_id).first()
            if (previous_id and previous_id.isdigit())
            else None
        )
        try:
            application = services.create_application(
                producer=request.producer,
                actor=request.user,
                product=form.cleaned_data.get("product"),
                new_product=form.new_product(),
                self_assessment=form.self_assessment(),
                previous=previous,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, gettext("Application created: add the dossier documents, then submit."))
            return redirect("applications:detail", application.pk)
    return render(request, "applications/new.html", {"form": form, "previous": previous})


def _own_application(request, pk) -> Application:
    return get_object_or_404(
        services.producer_applications(request.user).select_related("product", "rule_set", "evaluation"), pk=pk
    )


@_producer_page
def application_detail(request, pk):
    application = _own_application(request, pk)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "documents": application.documents.select_related("kind"),
            "steps": application.steps.all(),
            "missing": services.missing_document_kinds(application),
            "document_form": DocumentForm(),
            "comment_form": CommentForm(),
        },
    )


@_producer_page
@require_POST
def upload_document(request, pk):
    application = _own_application(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        attempt(
            request,
            lambda: services.add_document(
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            ),
            gettext("Document uploaded."),
        )
    else:
        messages.error(request, form_errors(form))
    return redirect("applications:detail", application.pk)


@_producer_page
@require_POST
def submit(request, pk):
    application = _own_application(request, pk)
    attempt(
        request,
        lambda: services.submit_application(application=application, actor=request.user),
        gettext("Application submitted."),
    )
    return redirect("applications:detail", application.pk)


@_producer_page
@require_POST
def respond(request, pk):
    application = _own_application(request, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    attempt(
        request,
        lambda: services.respond_to_request(
            application=application, actor=request.user, comment=form.cleaned_data.get("comment", "")
        ),
        gettext("Your response has been sent."),
    )
    return redirect("applications:detail", application.pk)


@_portal_page
def document_download(request, pk):
    visible = Q(application__in=services.producer_applications(request.user).values("pk"))
    if services.is_level_staff(request.user):
        visible |= Q(application__in=services.staff_applications(request.user).values("pk"))
    document = ApplicationDocument.objects.filter(visible, pk=pk).first()
    if document is None:
        raise Http404
    return private.serve(document.file, content_type=document.content_type, filename=document.original_name)


@_portal_page
@require_http_methods(["GET", "POST"])
def notices(request):
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("notice") if value.isdigit()]
        services.mark_notices_read(user=request.user, notice_ids=ids or None)
        return redirect("applications:notices")
    return render(
        request,
        "applications/notices.html",
        {
            "notices": Notice.objects.filter(user=request.user)[:200],
        },
    )


# --- The levels' pages -------------------------------------------------------------------------------------


@_staff_page
def staff_queue(request):
    applications = (
        services.staff_applications(request.user)
        .select_related("product", "producer__commune", "rule_set")
        .order_by("-submitted_at", "-pk")
    )
    status = request.GET.get("status")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "applications/staff_queue.html",
        {
            "applications": applications[:500],
            "statuses": Application.Status.choices,
            "status": status,
        },
    )


def _staff_application(request, pk) -> Application:
    return get_object_or_404(
        services.staff_applications(request.user).select_related(
            "product", "producer__commune", "rule_set", "evaluation", "certificate"
        ),
        pk=pk,
    )


@_staff_page
def staff_detail(request, pk):
    application = _staff_application(request, pk)
    level = application.current_level
    user = request.user
    Role = LevelSeat.Role
    return render(
        request,
        "applications/staff_detail.html",
        {
            "application": application,
            "documents": application.documents.select_related("kind"),
            "steps": application.steps.all(),
            "scores": application.council_scores.filter(level=level).select_related("member") if level else [],
            "level": level,
            "may_request": bool(level)
            and application.status in REQUESTABLE
            and services.acts_at(user, application, level),
            "may_pre_assess": level == Level.COMMUNE and services.acts_at(user, application, level),
            "may_score": services.acts_at(user, application, level, (Role.MEMBER, Role.CHAIR)) if level else False,
            "may_close": services.acts_at(user, application, level, (Role.CHAIR,)) if level else False,
            "may_decide": services.acts_at(user, application, level, (Role.AUTHORITY,)) if level else False,
            "pre_assessment_form": PreAssessmentForm(),
            "score_form": ScoreForm(),
            "close_form": CloseScoringForm(),
            "request_form": RequestDocumentsForm(),
            "decision_form": DecisionForm(
                initial={
                    "authority_name": services.default_authority_name(application, level) if level else "",
                }
            ),
        },
    )


def _posted_level(request) -> str:
    level = request.POST.get("level", "")
    if level not in Level.values:
        raise Http404
    return level


def _staff_action(form_class, perform, success_message):
    @_staff_page
    @require_POST
    def view(request, pk):
        application = _staff_application(request, pk)
        level = _posted_level(request)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect("applications:staff_detail", application.pk)
        attempt(request, lambda: perform(request, application, level, form), success_message)
        return redirect("applications:staff_detail", application.pk)

    return view


pre_assess = _staff_action(
    PreAssessmentForm,
    lambda request, application, level, form: services.record_commune_pre_assessment(
        application=application,
        criteria=form.criteria(),
        notes=form.cleaned_data["notes"],
        actor=request.user,
    ),
    _("Pre-assessment recorded."),
)
score = _staff_action(
    ScoreForm,
    lambda request, application, level, form: services.record_council_score(
        application=application,
        level=level,
        actor=request.user,
        **form.cleaned_data,
    ),
    _("Score recorded."),
)
close = _staff_action(
    CloseScoringForm,
    lambda request, application, level, form: services.close_scoring(
        application=application,
        level=level,
        actor=request.user,
        notes=form.cleaned_data["notes"],
    ),
    _("Scoring closed."),
)
request_documents = _staff_action(
    RequestDocumentsForm,
    lambda request, application, level, form: services.request_documents(
        application=application,
        level=level,
        what=form.cleaned_data["what"],
        actor=request.user,
    ),
    _("Documents requested from the producer."),
)
decide = _staff_action(
    DecisionForm,
    lambda request, application, level, form: services.issue_decision(
        application=application,
        level=level,
        actor=request.user,
        **form.cleaned_data,
    ),
    _("Decision issued."),
)
