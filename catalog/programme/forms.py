"""Forms of the programme's pages (input parsing only; the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Producer, ProductGroup

from .event_sales import MAX_UPLOAD_BYTES
from .models import CommuneReport, Event, Partner, PotentialProduct, ReportingPeriod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "name_vi",
            "name_en",
            "kind",
            "level",
            "organiser",
            "place",
            "latitude",
            "longitude",
            "starts_on",
            "ends_on",
            "applications_close_on",
            "description_vi",
            "description_en",
            "partners",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "applications_close_on": DATE,
            "description_vi": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends, closes = cleaned.get("starts_on"), cleaned.get("ends_on"), cleaned.get("applications_close_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The event ends before it begins."))
        if closes and ends and closes > ends:
            self.add_error("applications_close_on", _("Applications must close before the event ends."))
        return cleaned


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["kind", "name", "contact_person", "phone", "email", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ApplyForm(forms.Form):
    products = forms.ModelMultipleChoiceField(
        label=_("Products to show"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note to the office"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products


class DecisionForm(forms.Form):
    booth = forms.CharField(label=_("Booth"), required=False, max_length=32)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class EventSalesForm(forms.Form):
    """One line per product shown; a blank line is left out, so the form reports what was filled in."""

    contacts = forms.IntegerField(label=_("Trade contacts made"), min_value=0, required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for product in self.products:
            self.fields[f"quantity_{product.pk}"] = forms.IntegerField(
                label=_("%(product)s: quantity sold") % {"product": product.name_vi}, min_value=0, required=False
            )
            self.fields[f"revenue_{product.pk}"] = forms.IntegerField(
                label=_("%(product)s: revenue (VND)") % {"product": product.name_vi}, min_value=0, required=False
            )

    def rows(self) -> list[tuple[None, dict]]:
        rows = []
        for product in self.products:
            quantity = self.cleaned_data.get(f"quantity_{product.pk}")
            revenue = self.cleaned_data.get(f"revenue_{product.pk}")
            if quantity is None and revenue is None:
                continue
            rows.append((None, {"product": product.pk, "quantity": quantity, "revenue": revenue}))
        return rows


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    contacts = forms.IntegerField(label=_("Trade contacts made"), min_value=0, required=False)

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="invalid")
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."), code="invalid")
        return file


class PotentialProductForm(forms.ModelForm):
    class Meta:
        model = PotentialProduct
        fields = ["holder", "producer", "idea", "group", "raw_materials", "guidance", "recorded_on", "dropped"]
        widgets = {
            "recorded_on": DATE,
            "raw_materials": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers
        self.fields["group"].queryset = ProductGroup.objects.order_by("code")
        self.fields["recorded_on"].required = False


class LinkApplicationForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=None)

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: (
            f"#{a.pk} {a.product.name_vi} — {a.producer.name} ({a.get_status_display()})"
        )


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["kind", "title", "starts_on", "ends_on", "deadline", "request"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "deadline": DATE, "request": forms.Textarea(attrs={"rows": 2})}


class CommuneReportForm(forms.ModelForm):
    class Meta:
        model = CommuneReport
        fields = [
            "producers",
            "certified_products",
            "new_products",
            "potential_products",
            "applications",
            "trainings",
            "trainees",
            "activities",
            "difficulties",
            "proposals",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("activities", "difficulties", "proposals")}


def producers_of_commune(commune):
    return Producer.objects.filter(commune=commune).order_by("name")
