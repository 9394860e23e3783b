"""The public register of certified products, like the national OCOP portal's: the rows and their filters.

Every product of the province that holds or held a certificate, with its stars, group, producer, commune,
decision and validity. Certified ones are exactly catalog's listing rule (``listable_q``); expired and revoked
ones are shown as such for transparency and are never sold. Each filter is a condition on the product's
listing columns (indexed, see ``Product.Meta.indexes``); a page is one query, the count another.
"""

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Commune, Product, ProductGroup
from catalog.querysets import MIN_CERTIFIED_STARS, listable_q, local_today

PAGE_SIZE = 25
#: A download holds at most this many rows (the whole province's register is a few hundred).
MAX_DOWNLOAD_ROWS = 10000
MAX_QUERY_LENGTH = 100

CERTIFIED, EXPIRED, REVOKED = "certified", "expired", "revoked"
STATUS_LABELS = {CERTIFIED: _("Certified"), EXPIRED: _("Expired"), REVOKED: _("Revoked")}


def status_q(status: str, today: datetime.date) -> Q:
    """The condition of one register status, on the product's listing columns."""
    if status == CERTIFIED:
        return listable_q(today)
    if status == REVOKED:
        return Q(certificate_revoked=True)
    return Q(certificate_revoked=False, certified_until__lt=today)


def status_of(product: Product, today: datetime.date) -> str:
    if product.certificate_revoked:
        return REVOKED
    return CERTIFIED if product.is_listable(today) else EXPIRED


class RegisterFilter(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Product or producer")}),
    )
    stars = forms.TypedChoiceField(
        label=_("Stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All"))] + [(s, f"{s}★") for s in range(MIN_CERTIFIED_STARS, 6)],
    )
    group = forms.ModelChoiceField(
        label=_("Product group"), required=False, queryset=ProductGroup.objects.all(), empty_label=_("All")
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), required=False, queryset=Commune.objects.none(), empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(STATUS_LABELS.items())
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = (
            Commune.objects.filter(producers__products__current_certificate__isnull=False).distinct().order_by("name")
        )


def register(data: dict | None, today: datetime.date | None = None) -> QuerySet:
    """The register's rows for the cleaned filter ``data`` (an invalid filter is ignored, not an error)."""
    today = today or local_today()
    rows = Product.objects.filter(current_certificate__isnull=False, certified_stars__gte=MIN_CERTIFIED_STARS)
    data = data or {}
    if data.get("q"):
        words = data["q"].split()
        for word in words[:8]:
            rows = rows.filter(
                Q(name_vi__unaccent__icontains=word)
                | Q(name_en__unaccent__icontains=word)
                | Q(producer__name__unaccent__icontains=word)
            )
    if data.get("stars"):
        rows = rows.filter(certified_stars=data["stars"])
    if data.get("group"):
        rows = rows.filter(group=data["group"])
    if data.get("commune"):
        rows = rows.filter(producer__commune=data["commune"])
    if data.get("status") in STATUS_LABELS:
        rows = rows.filter(status_q(data["status"], today))
    return rows.select_related("group", "producer__commune", "current_certificate__decision").order_by(
        "-certified_stars", "name_vi", "pk"
    )
