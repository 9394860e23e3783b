"""Forms of oversight: the public report form (with its abuse checks) and the staff forms."""

import unicodedata

import phonenumbers
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.models import Level, Producer, Product
from catalog.validators import MAX_LONG_TEXT, MAX_NOTE

from . import abuse
from .models import ChecklistItem, Inspection, InspectionCheck, Report
from .services import MAX_REPORT_TEXT, TRANSITIONS
from .uploads import check_evidence, check_photo, clean_text


class CleanTextField(forms.CharField):
    """Free text with control characters (NUL…) removed before any check, so odd input is cleaned, not refused."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if value else value


class HiddenTextField(CleanTextField):
    """Context carried by the page (scanned code, address): cut to ``limit``, never a reason to refuse a report."""

    widget = forms.HiddenInput

    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return (super().to_python(value) or "")[: self.limit]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is the problem?"), choices=Report.Kind.choices, widget=forms.RadioSelect)
    text = CleanTextField(
        label=_("Tell us what you saw"),
        max_length=MAX_REPORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where and when you bought it, what is wrong. Up to 5,000 characters."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture of the product or label, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    contact_email = forms.EmailField(label=_("Email (optional)"), required=False)
    contact_phone = CleanTextField(label=_("Phone (optional)"), required=False, max_length=32)
    language = forms.ChoiceField(label=_("Language for our answer"), choices=settings.LANGUAGES)
    code = HiddenTextField(limit=64)
    path = HiddenTextField(limit=255)
    product = HiddenTextField(limit=20)
    challenge = forms.CharField(max_length=256, widget=forms.HiddenInput, required=False)
    answer = CleanTextField(label=_("Anti-spam check"), required=False, max_length=8)
    #: Hidden from people by the page's style; robots fill it in.
    website = forms.CharField(  # a trap for robots: hidden from people, out of the keyboard's way
        max_length=200,
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, challenge: abuse.Challenge | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE)[:2]
        self.current_challenge = None
        self.challenge_problem = None
        self.photo_check = None
        if challenge is not None:
            self.set_challenge(challenge)

    def set_challenge(self, challenge: abuse.Challenge) -> None:
        self.current_challenge = challenge
        self.fields["challenge"].initial = challenge.token
        if self.is_bound:
            self.data = self.data.copy()
            self.data["challenge"] = challenge.token
            self.data["answer"] = ""

    def clean_contact_email(self):
        value = self.cleaned_data.get("contact_email") or ""
        # Invisible characters (direction overrides, zero-width joiners) pass the address syntax but no mail server.
        if any(unicodedata.category(c).startswith("C") for c in value):
            raise ValidationError(_("Enter a valid email address."), code="invalid")
        return value

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone") or ""
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "VN")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(_("Enter a valid phone number."), code="invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            self.photo_check = None
            return None
        self.photo_check = check_photo(photo)
        return photo

    def clean_product(self):
        return self.listable_product(self.cleaned_data.get("product") or "")

    @staticmethod
    def listable_product(value: str) -> Product | None:
        """The product a product page's link names (``?product=<id>``): a listable one only, since anyone may
        open this page with any id."""
        if value.isascii() and value.isdigit() and len(value) < 19:
            return Product.objects.listable().filter(pk=int(value)).first()
        return None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.add_error(None, ValidationError(_("Your report could not be sent."), code="honeypot"))
        challenge = abuse.read_challenge(cleaned.get("challenge") or "")
        problem = abuse.check_challenge(challenge, cleaned.get("answer") or "")
        self.challenge_problem = problem
        self.current_challenge = challenge
        messages = {
            abuse.ChallengeProblem.FORGED: _("The form has expired: please answer the new question."),
            abuse.ChallengeProblem.STALE: _("The form has expired: please answer the new question."),
            abuse.ChallengeProblem.TOO_FAST: _("That was very fast: please check your report and send it again."),
            abuse.ChallengeProblem.WRONG: _("The answer to the question is not right: please try again."),
        }
        if problem is not None:
            self.add_error("answer", ValidationError(messages[problem], code="challenge"))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Report.Status.choices)
    note = CleanTextField(
        max_length=MAX_NOTE, label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(report.status, set())
        self.fields["status"].choices = [(v, label) for v, label in Report.Status.choices if v in allowed]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        perm = Q(user_permissions__codename="triage_report") | Q(groups__permissions__codename="triage_report")
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(perm | Q(is_superuser=True))
            .distinct()
            .order_by("username")
        )


class TextForm(forms.Form):
    text = CleanTextField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class InspectionForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=Producer.objects.all())
    products = forms.ModelMultipleChoiceField(
        label=_("Products inspected"),
        queryset=Product.objects.all(),
        required=False,
        help_text=_("Leave empty for an inspection of the producer as a whole."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Inspection.Kind.choices)
    inspected_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    team = CleanTextField(max_length=MAX_NOTE, label=_("Team"), widget=forms.Textarea(attrs={"rows": 2}))
    findings = CleanTextField(
        max_length=MAX_LONG_TEXT, label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Inspection.Outcome.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or "vi")[:2]
        self.checklist = list(ChecklistItem.objects.filter(active=True))
        for item in self.checklist:
            self.fields[f"check_{item.code}"] = forms.ChoiceField(
                label=f"{item.get_area_display()}: {item.text(language)}",
                choices=InspectionCheck.Result.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{item.code}"] = CleanTextField(label=_("Note"), required=False, max_length=500)

    def checklist_fields(self):
        return [(self[f"check_{item.code}"], self[f"note_{item.code}"]) for item in self.checklist]

    def checks(self) -> dict[str, tuple[str, str]]:
        return {
            item.code: (self.cleaned_data[f"check_{item.code}"], self.cleaned_data.get(f"note_{item.code}", ""))
            for item in self.checklist
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    description = CleanTextField(label=_("Description"), required=False, max_length=255)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_evidence(upload)
        return upload


class CorrectionForm(forms.Form):
    description = CleanTextField(
        max_length=MAX_NOTE, label=_("Required correction"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class FollowUpForm(forms.Form):
    follow_up = CleanTextField(
        max_length=MAX_NOTE, label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    completed_on = forms.DateField(
        label=_("Completed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ProposalForm(forms.Form):
    reason = CleanTextField(
        max_length=MAX_NOTE, label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_number = CleanTextField(label=_("Draft decision number"), required=False, max_length=64)
    signed_on = forms.DateField(
        label=_("Date to be signed"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    authority_level = forms.ChoiceField(label=_("Issuing level"), choices=Level.choices, initial=Level.PROVINCE)
    authority_name = CleanTextField(label=_("Issuing authority"), required=False, max_length=255)


class ReviewForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("Approve: issue the revocation decision")), (REJECT, _("Reject the proposal"))],
    )
    number = CleanTextField(label=_("Decision number"), required=False, max_length=64)
    signed_on = forms.DateField(label=_("Date signed"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    authority_level = forms.ChoiceField(label=_("Issuing level"), choices=Level.choices)
    authority_name = CleanTextField(label=_("Issuing authority"), required=False, max_length=255)
    note = CleanTextField(
        max_length=MAX_NOTE, label=_("Review note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
