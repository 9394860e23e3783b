from django import forms
from django.db.models import Exists, OuterRef
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from catalog.models import Commune, Producer, Product, ProductGroup
from catalog.validators import MAX_LONG_TEXT, MAX_NOTE
from ocop.files.photos import FORMATS as PHOTO_FORMATS

from .search import SearchQuery, Sort
from .search.folding import words

SORT_CHOICES = [
    (Sort.RELEVANCE, _("Best match")),
    (Sort.STARS, _("Most stars")),
    (Sort.PRICE_ASC, _("Price: low to high")),
    (Sort.PRICE_DESC, _("Price: high to low")),
    (Sort.NAME, _("Name")),
    (Sort.NEWEST, _("Newest")),
]
PAGE_SIZE = 24
#: Deepest page of search results offered: 400 pages of 24 hold every hit a backend counts (``MAX_HITS``).
MAX_PAGE = 400


class PlainSelect(forms.Select):
    """A select whose options are written out here rather than through one template each: the listing's filter
    of every producer with something on sale renders in about a millisecond, not in tens of them."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html(
            "<select{}>{}</select>", flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})), options
        )


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices in one plain query: Django's iterator opens a server-side cursor (three round trips or more)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator
    widget = PlainSelect


class ListingForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    stars = forms.TypedChoiceField(
        label=_("Stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), (3, _("3 stars or more")), (4, _("4 stars or more")), (5, _("5 stars"))],
    )
    group = ListedChoiceField(
        label=_("Product group"), required=False, queryset=ProductGroup.objects.all(), to_field_name="code"
    )
    commune = ListedChoiceField(label=_("Commune"), required=False, queryset=Commune.objects.none())
    producer = ListedChoiceField(label=_("Producer"), required=False, queryset=Producer.objects.none())
    price_min = forms.DecimalField(label=_("Price from (VND)"), required=False, min_value=0, decimal_places=0)
    price_max = forms.DecimalField(label=_("Price to (VND)"), required=False, min_value=0, decimal_places=0)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only places and producers that have something on sale are worth offering: one probe of the product
        # index per producer, not a pass over every product.
        listed = Product.objects.listable()
        self.fields["commune"].queryset = (
            Commune.objects.filter(Exists(listed.filter(producer__commune=OuterRef("pk"))))
            .only("name", "district", "province")
            .order_by("name")
        )
        producers = (
            Producer.objects.filter(Exists(listed.filter(producer=OuterRef("pk")))).only("name").order_by("name")
        )
        self.fields["producer"].queryset = producers  # what a producer given by a link is checked against
        commune = self.data.get("commune") if self.is_bound else None
        if commune and str(commune).isdigit():
            # Offered: the chosen commune's producers, a short list whatever the size of the catalogue.
            self.fields["producer"].widget.choices = [
                ("", self.fields["producer"].empty_label),
                *producers.filter(commune_id=commune).values_list("pk", "name"),
            ]
        else:
            # Every producer with something on sale would be thousands of options on every page: the choice is
            # offered once a commune is chosen (a producer given by a link is kept in a hidden field).
            self.fields["producer"].widget = forms.HiddenInput()

    def clean_q(self):
        text = self.cleaned_data["q"]
        if text.strip() and not words(text):
            raise forms.ValidationError(
                _("Type at least one letter or digit to search (punctuation and symbols alone find nothing)."),
                code="no_words",
            )
        return text

    def search_query(self) -> SearchQuery:
        data = self.cleaned_data if self.is_valid() else {}
        page = data.get("page") or 1
        return SearchQuery(
            text=data.get("q") or "",
            min_stars=data.get("stars"),
            group_code=data["group"].code if data.get("group") else None,
            commune_id=data["commune"].pk if data.get("commune") else None,
            producer_id=data["producer"].pk if data.get("producer") else None,
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            sort=data.get("sort") or Sort.RELEVANCE,
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )


class AddToCartForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)


def vietnamese_phone(value: str) -> str:
    """A Vietnamese phone number (mobile or landline, with or without +84) in E.164, as Saleor validates it."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException as exc:
        raise forms.ValidationError(_("Enter a Vietnamese phone number, e.g. 0905 123 456."), code="phone") from exc
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("Enter a Vietnamese phone number, e.g. 0905 123 456."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class CheckoutForm(forms.Form):
    """Email and a shipping address in Vietnam (province/city → ward/commune → street)."""

    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=20, help_text=_("e.g. 0905 123 456"))
    province = forms.CharField(label=_("Province / city"), max_length=128, initial="Đắk Lắk")
    city = forms.CharField(label=_("Ward / commune"), max_length=128)
    ward = forms.CharField(label=_("Village / residential group"), max_length=128, required=False)
    street = forms.CharField(label=_("House number and street"), max_length=255)

    def clean_phone(self) -> str:
        return vietnamese_phone(self.cleaned_data["phone"])

    def address(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key in ("first_name", "last_name", "street", "ward", "city", "province", "phone")
        }


class DeliveryForm(forms.Form):
    delivery_method = forms.ChoiceField(label=_("Delivery method"), widget=forms.RadioSelect)

    def __init__(self, *args, methods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_method"].choices = methods
        if len(methods) == 1:
            self.fields["delivery_method"].initial = methods[0][0]


class PaymentForm(forms.Form):
    payment = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)

    def __init__(self, *args, methods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment"].choices = methods
        self.fields["payment"].initial = methods[0][0] if methods else None


class OrderLookupForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    number = forms.RegexField(
        label=_("Order number"),
        regex=r"^#?\d{1,12}$",
        max_length=13,
        error_messages={"invalid": _("Enter the order number, e.g. 1024.")},
    )


#: Largest product photo a producer may upload.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: The photo formats published (with their extensions): those ocop.files.photos re-encodes.
IMAGE_FORMATS = PHOTO_FORMATS


class ListingChangeForm(forms.Form):
    """What a producer proposes for its product's store listing; prefilled with the live values."""

    brand = forms.CharField(
        label=_("Brand or trademark (nhãn hiệu)"),
        required=False,
        max_length=255,
        help_text=_("As printed on the package (Circular 02/2024/TT-BKHCN)."),
    )
    description_vi = forms.CharField(
        max_length=MAX_LONG_TEXT, label=_("Description (Vietnamese)"), required=False, widget=forms.Textarea
    )
    description_en = forms.CharField(
        max_length=MAX_LONG_TEXT, label=_("Description (English)"), required=False, widget=forms.Textarea
    )
    story_vi = forms.CharField(
        max_length=MAX_LONG_TEXT, label=_("Product story (Vietnamese)"), required=False, widget=forms.Textarea
    )
    story_en = forms.CharField(
        max_length=MAX_LONG_TEXT, label=_("Product story (English)"), required=False, widget=forms.Textarea
    )
    image = forms.ImageField(label=_("New photo"), required=False, help_text=_("JPEG, PNG or WebP, up to 5 MB."))
    price = forms.DecimalField(label=_("Price (VND)"), required=False, min_value=0, max_digits=14, decimal_places=0)
    stock = forms.IntegerField(label=_("Stock"), required=False, min_value=0, max_value=10_000_000)

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not image:
            return None
        if image.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB."), code="too_large")
        image_format = getattr(getattr(image, "image", None), "format", None)
        if image_format is not None and image_format not in IMAGE_FORMATS:
            raise forms.ValidationError(_("Use a JPEG, PNG or WebP photo."), code="invalid_image")
        if image_format is not None:
            # Stored under a random name; the extension (and so the type it is served with) follows the content.
            image.name = "photo" + IMAGE_FORMATS[image_format]
        return image


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(
        max_length=MAX_NOTE, label=_("Comment to the producer"), required=False, widget=forms.Textarea
    )
