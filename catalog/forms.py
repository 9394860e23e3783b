"""Staff forms whose save goes through catalog.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Certificate, Evaluation, Level, Product
from .validators import MAX_NOTE


class DecisionHeaderForm(forms.Form):
    number = forms.CharField(label=_("decision number"), max_length=64)
    signed_on = forms.DateField(label=_("date signed"), widget=forms.DateInput(attrs={"type": "date"}))
    authority_level = forms.ChoiceField(label=_("issuing level"), choices=Level.choices)
    authority_name = forms.CharField(label=_("issuing authority"), max_length=255)


class CertificationHeaderForm(DecisionHeaderForm):
    stated_valid_until = forms.DateField(
        label=_("valid until, as stated in the decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when the decision states an end date; otherwise the rule set's period applies."),
    )
    history = forms.BooleanField(
        label=_("recorded as history"),
        required=False,
        help_text=_("Imported from the records of past years, without the evaluation it rested on."),
    )


class RevocationForm(DecisionHeaderForm):
    reason = forms.CharField(max_length=MAX_NOTE, label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    certificates = forms.ModelMultipleChoiceField(
        label=_("certificates to revoke"),
        queryset=Certificate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, certificates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificates"].queryset = (
            certificates
            if certificates is not None
            else Certificate.objects.filter(status=Certificate.Status.ACTIVE).select_related("product", "decision")
        )


class AwardForm(forms.Form):
    product = forms.ModelChoiceField(label=_("product"), queryset=Product.objects.select_related("producer"))
    stars = forms.TypedChoiceField(label=_("stars"), coerce=int, choices=[(s, f"{s}★") for s in range(1, 6)])
    evaluation = forms.ModelChoiceField(
        label=_("evaluation"), queryset=Evaluation.objects.select_related("product"), required=False
    )


AwardFormSet = forms.formset_factory(AwardForm, extra=3, min_num=1, validate_min=True)


def apply_validation_error(form, error) -> None:
    """Attach a service's ValidationError to the form: field errors where the field exists, else general."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
