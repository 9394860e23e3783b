"""What the store sells of a certified product: price and stock, kept on our side and pushed to Saleor."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from ocop.files.private import RandomName, private_storage

from .querysets import GiftComboQuerySet

CURRENCY = "VND"
#: The search entries of products listable on some day (see ``SearchEntry.listable_until``).
LISTABLE_ENTRY = Q(listable_until__isnull=False)


class ProductListing(models.Model):
    """The store's offer for one registry product. Whether it may be sold is still the listing rule's call."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="store_listing")
    price = models.DecimalField(
        _("price (VND)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(Decimal("0"))]
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("store listing")
        verbose_name_plural = _("store listings")

    def __str__(self):
        return f"{self.product} — {self.price} {CURRENCY}"


class GiftCombo(models.Model):
    """A curated bundle of OCOP products. Shown only while every product in it is listable."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    price = models.DecimalField(
        _("combo price (VND)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Leave empty to sell at the sum of the product prices."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    products = models.ManyToManyField("catalog.Product", through="GiftComboItem", related_name="gift_combos")

    objects = GiftComboQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name_vi"]
        verbose_name = _("gift combo")
        verbose_name_plural = _("gift combos")

    def __str__(self):
        return self.name_vi

    def sale_price(self) -> Decimal | None:
        """The combo's own price, else the sum of its products' prices (None if one has no price)."""
        if self.price is not None:
            return self.price
        total = Decimal(0)
        for item in self.items.all():
            listing = getattr(item.product, "store_listing", None)
            if listing is None:
                return None
            total += listing.price * item.quantity
        return total


class GiftComboItem(models.Model):
    combo = models.ForeignKey(GiftCombo, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["combo", "product"], name="giftcomboitem_unique_product"),
        ]
        verbose_name = _("combo item")
        verbose_name_plural = _("combo items")

    def __str__(self):
        return f"{self.quantity} × {self.product}"


class SearchEntry(models.Model):
    """The database search backend's document for one product: accent-folded text, its vector, and what
    listing pages filter and sort on (as the Elasticsearch document holds them).

    Rebuilt by ``storefront.search.db`` from the product, its listing, producer, commune and group, so a
    search or a listing page reads this one table through its indexes, with no join and nothing computed
    per row but the rank. Search results still go through the listing rule, so a stale row can never show
    an unlisted product.
    """

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    text = models.TextField()
    vector = SearchVectorField()
    #: The product's last listable day (``certified_until``), or null when it is revoked or under 3 stars:
    #: the listing rule as one column, every index below holding only rows where it is set.
    listable_until = models.DateField(null=True)
    #: ``lower(unaccent(name_vi))``: names sort accent-folded ("Đắk" with the d's), as in Elasticsearch.
    name_key = models.TextField(default="")
    stars = models.PositiveSmallIntegerField(null=True)
    price = models.DecimalField(max_digits=14, decimal_places=0, null=True)
    group_code = models.CharField(max_length=20, default="")
    commune_id = models.BigIntegerField(null=True)
    producer_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            GinIndex(fields=["vector"], name="searchentry_vector_gin", condition=LISTABLE_ENTRY),
            # Counts of a listing read this narrow index alone (an index-only scan), not the wide rows.
            models.Index(
                fields=["listable_until"],
                include=["stars", "price", "group_code", "commune_id", "producer_id"],
                name="searchentry_count",
                condition=LISTABLE_ENTRY,
            ),
            # One index per listing order, walked in order until a page is full.
            models.Index(F("stars").desc(), "name_key", "product", name="searchentry_stars", condition=LISTABLE_ENTRY),
            models.Index("price", "name_key", "product", name="searchentry_price", condition=LISTABLE_ENTRY),
            models.Index(
                F("price").desc(nulls_last=True),
                "name_key",
                "product",
                name="searchentry_price_desc",
                condition=LISTABLE_ENTRY,
            ),
            models.Index("name_key", "product", name="searchentry_name", condition=LISTABLE_ENTRY),
            models.Index(
                F("created_at").desc(), F("product").desc(), name="searchentry_newest", condition=LISTABLE_ENTRY
            ),
        ]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.text[:80]


class SearchWord(models.Model):
    """One word of the search index's vocabulary (every lexeme of every ``SearchEntry``).

    A mistyped query word is corrected against this short list (edit distance, ``fuzzystrmatch``) instead of
    comparing the query with every product's text, so a typo costs about as much as a well-typed search.
    """

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        indexes = [
            models.Index(Length("word"), "word", name="searchword_length"),
            models.Index(fields=["word"], name="searchword_prefix", opclasses=["varchar_pattern_ops"]),
        ]
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class ListingChange(models.Model):
    """A producer's proposed change to its product's store content or offer, live only once the OCOP office
    approves it (stock-only changes excepted, see ``services.propose_change``).

    A proposed field left ``None`` (or an empty image) means "unchanged".
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="listing_changes", verbose_name=_("product")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    brand = models.CharField(_("brand or trademark"), max_length=255, null=True, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), null=True, blank=True)
    description_en = models.TextField(_("description (English)"), null=True, blank=True)
    story_vi = models.TextField(_("product story (Vietnamese)"), null=True, blank=True)
    story_en = models.TextField(_("product story (English)"), null=True, blank=True)
    #: Private until approved (the producer and the reviewers see it); approval publishes a clean copy.
    image = models.ImageField(_("image"), storage=private_storage, upload_to=RandomName("listing-photos"), blank=True)
    price = models.DecimalField(
        _("price (VND)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    stock = models.PositiveIntegerField(_("stock"), null=True, blank=True)
    #: The live values of the proposed fields when the change was proposed (what the reviewer compares).
    live_before = models.JSONField(default=dict, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=models.Q(status="pending"), name="listingchange_one_pending_per_product"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]
        permissions = [("review_listingchange", _("Can review producers' listing changes"))]
        verbose_name = _("listing change")
        verbose_name_plural = _("listing changes")

    def __str__(self):
        return f"{self.product} — {self.get_status_display()}"

    @property
    def shown_comment(self) -> str:
        """The reviewer's comment; a stock update, live without review, says so in the reader's language."""
        if self.comment or self.status != self.Status.APPROVED or self.reviewer_id is not None:
            return self.comment
        others = ("brand", "description_vi", "description_en", "story_vi", "story_en", "price")
        if self.stock is not None and not self.image and all(getattr(self, name) is None for name in others):
            return str(_("Stock updates go live without review."))
        return ""
