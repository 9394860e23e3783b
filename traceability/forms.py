"""Forms of the producers' portal pages for lots (parsing only; the rules live in ``services``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Commune, Product
from catalog.permissions import of_producer
from catalog.validators import MAX_NOTE

from .models import validate_lot_number


class DateInput(forms.DateInput):
    input_type = "date"


class LotForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    number = forms.CharField(label=_("Lot number"), max_length=20, validators=[validate_lot_number])
    produced_on = forms.DateField(label=_("Production date"), widget=DateInput)
    expires_on = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput)
    quantity = forms.IntegerField(label=_("Quantity (units)"), min_value=1, max_value=1_000_000)
    origin_commune = forms.ModelChoiceField(
        label=_("Raw-material origin (commune)"), queryset=Commune.objects.order_by("name"), required=False
    )
    notes = forms.CharField(
        max_length=MAX_NOTE, label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = of_producer(Product.objects.all(), producer).order_by("name_vi")
        if producer.commune_id and not self.is_bound:
            self.fields["origin_commune"].initial = producer.commune_id

    def clean(self):
        data = super().clean()
        produced, expires = data.get("produced_on"), data.get("expires_on")
        if produced and expires and expires < produced:
            self.add_error("expires_on", _("Expiry is before production."))
        return data


class IssuanceForm(forms.Form):
    count = forms.IntegerField(label=_("Number of serials"), min_value=1, max_value=1_000_000)
