"""Forms of the producers' portal and of the levels' pages. Saving always goes through services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import PreAssessment, Product, ProductGroup, ProductSubGroup
from catalog.permissions import of_producer
from catalog.validators import MAX_LONG_TEXT, MAX_NOTE, MAX_PASSWORD

from .models import Application, DocumentKind


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    password = forms.CharField(max_length=MAX_PASSWORD, label=_("password"), widget=forms.PasswordInput, strip=False)


class InvitationForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("producer"), queryset=None)
    email = forms.EmailField(label=_("email"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from catalog.models import Producer

        self.fields["producer"].queryset = Producer.objects.order_by("name")


class LocalCriteriaFields(forms.Form):
    """The four local criteria of a pre-assessment (raw materials, labour, idea, identity), labelled as the model."""

    local_raw_materials = forms.BooleanField(
        label=PreAssessment._meta.get_field("local_raw_materials").verbose_name, required=False
    )
    local_labour = forms.BooleanField(label=PreAssessment._meta.get_field("local_labour").verbose_name, required=False)
    local_idea = forms.BooleanField(label=PreAssessment._meta.get_field("local_idea").verbose_name, required=False)
    local_identity = forms.BooleanField(
        label=PreAssessment._meta.get_field("local_identity").verbose_name, required=False
    )


class ApplicationForm(LocalCriteriaFields):
    field_order = [
        "product",
        "new_name_vi",
        "new_group",
        "new_subgroup",
        "new_description_vi",
        *LocalCriteriaFields.base_fields,
    ]

    product = forms.ModelChoiceField(
        label=_("product"),
        queryset=Product.objects.none(),
        required=False,
        help_text=_("Leave empty to describe a new product below."),
    )
    new_name_vi = forms.CharField(label=_("new product: name (Vietnamese)"), max_length=255, required=False)
    new_brand = forms.CharField(
        label=_("new product: brand or trademark (nhãn hiệu)"),
        max_length=255,
        required=False,
        help_text=_("As printed on the package (Circular 02/2024/TT-BKHCN)."),
    )
    new_group = forms.ModelChoiceField(
        label=_("new product: group"), queryset=ProductGroup.objects.all(), required=False
    )
    new_subgroup = forms.ModelChoiceField(
        label=_("new product: sub-group"), queryset=ProductSubGroup.objects.all(), required=False
    )
    new_description_vi = forms.CharField(
        max_length=MAX_LONG_TEXT,
        label=_("new product: description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    self_score_a = forms.DecimalField(label=_("self-score, part A"), min_value=0, max_digits=5, decimal_places=2)
    self_score_b = forms.DecimalField(label=_("self-score, part B"), min_value=0, max_digits=5, decimal_places=2)
    self_score_c = forms.DecimalField(label=_("self-score, part C"), min_value=0, max_digits=5, decimal_places=2)

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = of_producer(Product.objects.all(), producer)

    def clean(self):
        data = super().clean()
        if not data.get("product"):
            if not data.get("new_name_vi"):
                self.add_error("new_name_vi", _("Choose a product or give the new product's name."))
            if not data.get("new_group"):
                self.add_error("new_group", _("Choose the new product's group."))
        return data

    def new_product(self) -> dict | None:
        data = self.cleaned_data
        if data.get("product"):
            return None
        return {
            "name_vi": data["new_name_vi"],
            "brand": data.get("new_brand", ""),
            "group": data["new_group"],
            "subgroup": data.get("new_subgroup"),
            "description_vi": data.get("new_description_vi", ""),
        }

    def self_assessment(self) -> dict:
        names = [*Application.CRITERIA, "self_score_a", "self_score_b", "self_score_c"]
        return {name: self.cleaned_data.get(name) for name in names}


class DocumentForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("kind of document"), queryset=DocumentKind.objects.filter(active=True))
    file = forms.FileField(label=_("file (PDF, JPG, PNG, DOCX or XLSX)"))


class CommentForm(forms.Form):
    comment = forms.CharField(
        max_length=MAX_NOTE, label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RequestDocumentsForm(forms.Form):
    what = forms.CharField(max_length=MAX_NOTE, label=_("documents needed"), widget=forms.Textarea(attrs={"rows": 3}))


class PreAssessmentForm(LocalCriteriaFields):
    notes = forms.CharField(
        max_length=MAX_NOTE, label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def criteria(self) -> dict:
        return {name: self.cleaned_data[name] for name in PreAssessment.CRITERIA}


class ScoreForm(forms.Form):
    score_a = forms.DecimalField(label=_("part A score"), min_value=0, max_digits=5, decimal_places=2)
    score_b = forms.DecimalField(label=_("part B score"), min_value=0, max_digits=5, decimal_places=2)
    score_c = forms.DecimalField(label=_("part C score"), min_value=0, max_digits=5, decimal_places=2)
    comment = forms.CharField(
        max_length=MAX_NOTE, label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CloseScoringForm(forms.Form):
    notes = forms.CharField(
        max_length=MAX_NOTE, label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("decision number"), max_length=64)
    signed_on = forms.DateField(label=_("date signed"), widget=forms.DateInput(attrs={"type": "date"}))
    authority_name = forms.CharField(label=_("issuing authority"), max_length=255, required=False)
