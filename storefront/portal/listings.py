"""The producers' listing pages (propose changes to their own products) and the OCOP office's review queue.

Producers see only their own products and changes (another producer's product is a 404); reviewers need
``storefront.review_listingchange``. Changes go through ``services``.
"""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog.forms import apply_validation_error
from catalog.models import Product
from catalog.permissions import of_producer
from ocop.files import private
from ocop.service_messages import message_of
from storefront import permissions, services
from storefront.forms import ListingChangeForm, ReviewForm
from storefront.models import ListingChange, ProductListing

from . import access

#: Reviewers who open a producer page are sent to their queue.
producer_page = access.producer_page(staff_home=("listings:review_queue", permissions.may_review))
reviewer_page = access.staff_page(permissions.may_review)


@producer_page
@require_GET
def my_listings(request):
    products = of_producer(Product.objects.all(), request.producer).select_related("store_listing").order_by("name_vi")
    changes = services.producer_changes(request.producer).select_related("product").order_by("-created_at")[:50]
    pending = set(
        services.producer_changes(request.producer)
        .filter(status=ListingChange.Status.PENDING)
        .values_list("product_id", flat=True)
    )
    rows = [(product, getattr(product, "store_listing", None), product.pk in pending) for product in products]
    return render(
        request,
        "storefront/portal/my_listings.html",
        {
            "rows": rows,
            "changes": changes,
            "producer": request.producer,
        },
    )


@producer_page
@require_http_methods(["GET", "POST"])
def propose(request, product_id):
    product = get_object_or_404(of_producer(Product.objects.all(), request.producer), pk=product_id)
    listing = ProductListing.objects.filter(product=product).first()
    initial = {name: getattr(product, name) for name in services.CONTENT_FIELDS}
    if listing is not None:
        initial.update(price=listing.price, stock=listing.stock)
    form = ListingChangeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        image = data.pop("image")
        try:
            change = services.propose_change(
                producer=request.producer, product=product, actor=request.user, image=image, **data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if change.status == ListingChange.Status.APPROVED:
                messages.success(request, _("Stock updated: it is live now."))
            else:
                messages.success(request, _("Your changes were sent to the OCOP office for review."))
            return redirect("listings:mine")
    return render(
        request,
        "storefront/portal/propose.html",
        {
            "form": form,
            "product": product,
            "listing": listing,
        },
    )


@reviewer_page
@require_GET
def review_queue(request):
    changes = (
        ListingChange.objects.filter(status=ListingChange.Status.PENDING)
        .select_related("product__producer", "proposed_by")
        .order_by("created_at")
    )
    return render(request, "storefront/portal/review_queue.html", {"changes": changes[:500]})


def _diff(change: ListingChange) -> list[tuple[str, object, object]]:
    labels = {
        name: ListingChange._meta.get_field(name).verbose_name
        for name in (*services.CONTENT_FIELDS, *services.OFFER_FIELDS, "image")
    }
    rows = []
    for name in services.proposed_fields(change):
        proposed = reverse("listings:photo", args=[change.pk]) if name == "image" else getattr(change, name)
        rows.append((labels[name], change.live_before.get(name), proposed))
    return rows


@access.portal_page
@require_GET
def proposed_photo(request, pk):
    """A proposed photo: private until approved (then a clean copy is published); 404 outside the user's scope."""
    change = get_object_or_404(permissions.listing_changes_for(request.user).exclude(image=""), pk=pk)
    content_type = mimetypes.guess_type(change.image.name)[0] or "application/octet-stream"
    return private.serve(change.image, content_type=content_type, inline=True)


@reviewer_page
@require_http_methods(["GET", "POST"])
def review(request, pk):
    change = get_object_or_404(ListingChange.objects.select_related("product__producer", "proposed_by"), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.approve_change(change=change, actor=request.user, comment=form.cleaned_data["comment"])
                messages.success(request, _("Approved: the change is live."))
            else:
                services.reject_change(change=change, actor=request.user, comment=form.cleaned_data["comment"])
                messages.success(request, _("Rejected: the producer has been told why."))
        except ValidationError as error:
            messages.error(request, message_of(error))
            return redirect("listings:review", change.pk)
        return redirect("listings:review_queue")
    return render(request, "storefront/portal/review.html", {"change": change, "diff": _diff(change), "form": form})
