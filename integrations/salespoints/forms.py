"""Forms of the sales-point portal (input parsing only; the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from catalog.validators import MAX_NOTE
from integrations import stocking
from integrations.models import SalesPoint

from .querysets import offered_ever
from .sales_reports import MAX_UPLOAD_BYTES


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=SalesPoint.Status.choices)
    reason = forms.CharField(
        max_length=MAX_NOTE, label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignProductForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())

    def __init__(self, *args, point: SalesPoint, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: what a point may stock (950: OCOP 3★+, or on a Department list) not yet in the assortment;
        # the service checks again under a lock. Stars are shown only for OCOP products.
        self.fields["product"].queryset = (
            stocking.stockable(Product.objects.exclude(assortments__point=point))
            .select_related("producer")
            .order_by("name_vi")
        )
        self.fields["product"].label_from_instance = lambda p: (
            f"{p.name_vi} — {p.producer.name}" + (f" (OCOP {p.certified_stars}★)" if p.is_listable() else "")
        )


class SalesReportForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    month = forms.CharField(
        max_length=7, label=_("Month"), widget=forms.TextInput(attrs={"type": "month", "placeholder": "yyyy-mm"})
    )
    quantity_sold = forms.IntegerField(label=_("Quantity sold"), min_value=0)
    revenue = forms.IntegerField(label=_("Revenue (VND)"), min_value=0)
    closing_stock = forms.IntegerField(label=_("Stock at month end"), min_value=0)

    def __init__(self, *args, point: SalesPoint, **kwargs):
        super().__init__(*args, **kwargs)
        # The point's assortment, and the products that have left it (a late report of a month they were
        # offered in); the check decides by the month.
        self.fields["product"].queryset = Product.objects.filter(pk__in=offered_ever(point)).order_by("name_vi")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="invalid")
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."), code="invalid")
        return file
