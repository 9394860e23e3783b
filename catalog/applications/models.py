"""Producers' applications for OCOP evaluation: accounts, dossiers, council scores, history and notices."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import (
    Certificate,
    Evaluation,
    Level,
    PreAssessment,
    Producer,
    Product,
    RuleSet,
)
from catalog.models.reference import NamedInTwoLanguages
from ocop.append_only import AppendOnlyModel
from ocop.files.private import RandomName, private_storage

#: Dossier files are private files; the original name is kept in ``original_name``, never trusted as a path.
DOCUMENTS_FOLDER = "applications"


# --- Producer accounts ------------------------------------------------------------------------------


class ProducerInvitation(models.Model):
    """A single-use, expiring link sent by the OCOP office to create a producer account."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True, editable=False)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("producer invitation")
        verbose_name_plural = _("producer invitations")

    def __str__(self):
        return f"{self.producer} → {self.email}"


class RegistrationRequest(models.Model):
    """A self-registration that could not be checked automatically: it waits for the OCOP office."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the OCOP office")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    registration_number = models.CharField(_("business/tax registration number"), max_length=32)
    producer_name = models.CharField(_("producer name"), max_length=255)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    producer = models.ForeignKey(Producer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registration request")
        verbose_name_plural = _("registration requests")

    def __str__(self):
        return f"{self.producer_name} ({self.registration_number})"


# --- Who acts at each level ---------------------------------------------------------------------------


class LevelSeat(models.Model):
    """A user's seat at a level above the commune: council member, council chair, or certifying authority staff.

    ``area`` is the district name (district level) or the province name (province level); blank at the centre.
    Commune officers act through their ``catalog.Membership``.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("Council member")
        CHAIR = "chair", _("Council chair")
        AUTHORITY = "authority", _("Certifying authority staff")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ocop_seats")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    area = models.CharField(_("district or province"), max_length=128, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "level", "area", "role"], name="levelseat_unique"),
        ]
        verbose_name = _("council or authority seat")
        verbose_name_plural = _("council and authority seats")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.get_level_display()} {self.area})".strip()


# --- Applications -------------------------------------------------------------------------------------


class DocumentKind(NamedInTwoLanguages, models.Model):
    """A kind of dossier document. Which kinds are required is data, edited by the OCOP office."""

    vi_name_field = "name"

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    required = models.BooleanField(_("required at submission"), default=False)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")

    def __str__(self):
        return self.local_name


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, waiting for the commune pre-assessment")
        DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
        SCORING = "scoring", _("Being scored by the council")
        AWAITING_DECISION = "awaiting_decision", _("Waiting for the certification decision")
        CERTIFIED = "certified", _("Certified")
        NOT_QUALIFIED = "not_qualified", _("Closed: not qualified")

    CLOSED = (Status.CERTIFIED, Status.NOT_QUALIFIED)
    #: Rows follow the one scoping rule (``catalog.permissions``): the producer's accounts, its commune's officer.
    scoped_through_producer = "producer"

    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="applications")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="applications")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", editable=False)
    applied_on = models.DateField(_("application date"))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    current_level = models.CharField(_("current level"), max_length=16, choices=Level.choices, blank=True)
    resume_status = models.CharField(max_length=24, choices=Status.choices, blank=True, editable=False)
    requested_documents = models.TextField(_("documents requested"), blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous application"),
    )

    # Self-assessment: the four local criteria and a self-score per part (bounded by the rule set).
    local_raw_materials = models.BooleanField(_("product/raw materials of local origin"), default=False)
    local_labour = models.BooleanField(_("uses local labour"), default=False)
    local_idea = models.BooleanField(_("product idea of local origin"), default=False)
    local_identity = models.BooleanField(_("carries local identity or knowledge"), default=False)
    self_score_a = models.DecimalField(
        _("self-score, part A"), max_digits=5, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    self_score_b = models.DecimalField(
        _("self-score, part B"), max_digits=5, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    self_score_c = models.DecimalField(
        _("self-score, part C"), max_digits=5, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    # What the registry recorded on the way, so the next step uses it without retyping.
    pre_assessment = models.ForeignKey(
        PreAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    CRITERIA = PreAssessment.CRITERIA

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "current_level"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"#{self.pk} {self.product} ({self.applied_on:%d/%m/%Y})"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    @property
    def self_total(self):
        return self.self_score_a + self.self_score_b + self.self_score_c


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    file = models.FileField(_("file"), upload_to=RandomName(DOCUMENTS_FOLDER), storage=private_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=128)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind__sort_order", "uploaded_at", "pk"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self):
        return f"{self.kind}: {self.original_name}"


class ApplicationStep(AppendOnlyModel):
    """Append-only history of an application: who, when, from which status/level to which, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=64)
    from_status = models.CharField(max_length=24, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Application.Status.choices, blank=True)
    from_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    key = models.CharField(_("message key"), max_length=64, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def message(self) -> str:
        """What the step says, in the reader's language: its message (``key``) or the comment typed with it."""
        if self.key:
            from .notices import render

            return render(self.key, self.params, self.comment)
        return self.comment

    @property
    def action_label(self) -> str:
        from .keys import ACTIONS

        return str(ACTIONS.get(self.action, self.action))


class CouncilScore(models.Model):
    """One council member's scores of an application at one level; the council's score is the mean."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="council_scores")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score_a = models.DecimalField(_("part A score"), max_digits=5, decimal_places=2)
    score_b = models.DecimalField(_("part B score"), max_digits=5, decimal_places=2)
    score_c = models.DecimalField(_("part C score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "level", "member"], name="councilscore_one_per_member"),
        ]
        verbose_name = _("council member's score")
        verbose_name_plural = _("council members' scores")

    def __str__(self):
        return f"{self.application} {self.level} {self.member}"

    @property
    def total(self):
        return self.score_a + self.score_b + self.score_c


# --- Notices and re-evaluation prompts ------------------------------------------------------------------


class Notice(models.Model):
    """A notice to one user. New notices are a message ``key`` with ``params``, rendered in the reader's language
    (``catalog.applications.notices``); older ones carry a frozen ``text``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ocop_notices")
    text = models.TextField(_("text"), blank=True)
    key = models.CharField(_("message key"), max_length=64, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read"])]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return self.message[:80]

    @property
    def message(self) -> str:
        if self.key:
            from .notices import render

            return render(self.key, self.params, self.text)
        return self.text


class ReevaluationPrompt(models.Model):
    """Records that the producer was prompted N days before a certificate's last valid day (once each)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="reevaluationprompt_once"),
        ]
        verbose_name = _("re-evaluation prompt")
        verbose_name_plural = _("re-evaluation prompts")

    def __str__(self):
        return f"{self.certificate} — {self.days_before}"
