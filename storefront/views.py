"""The consumers' storefront: thin views over the listing rule, the search backend and the cart."""

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Product
from catalog.programme.querysets import meet_the_producer, tours_of
from ocop.throttle import throttled

from . import checkout as checkout_service
from .cart import Cart, CartError, cart_total
from .forms import (
    MAX_PAGE,
    PAGE_SIZE,
    AddToCartForm,
    CheckoutForm,
    DeliveryForm,
    ListingForm,
    OrderLookupForm,
    PaymentForm,
)
from .models import GiftCombo
from .search import SearchResults, get_backend, store_products
from .templatetags.storefront import vnd

FEATURED_COUNT = 8


def home(request):
    featured = list(
        store_products().filter(store_listing__featured=True).order_by("-certified_stars", "name_vi")[:FEATURED_COUNT]
    )
    if len(featured) < FEATURED_COUNT:
        featured += list(
            store_products()
            .exclude(pk__in=[p.pk for p in featured])
            .order_by("-certified_stars", "-created_at")[: FEATURED_COUNT - len(featured)]
        )
    combos = GiftCombo.objects.visible().prefetch_related("items__product")[:4]
    return render(request, "storefront/home.html", {"featured": featured, "combos": combos})


def product_list(request):
    form = ListingForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()  # said on the page, with a 400: nothing is searched
    query = form.search_query()
    results = SearchResults(products=[], total=0, query=query) if refused else get_backend().search(query)
    page = query.offset // PAGE_SIZE + 1
    pages = min(max((results.total + PAGE_SIZE - 1) // PAGE_SIZE, 1), MAX_PAGE)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "storefront/product_list.html",
        {
            "form": form,
            "results": results,
            "page": page,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "base_query": params.urlencode(),
        },
        status=400 if refused else 200,
    )


def traceability_url(product) -> str | None:
    try:
        return reverse("traceability:product", kwargs={"pk": product.pk})
    except NoReverseMatch:
        return None


def product_detail(request, pk: int):
    product = store_products().filter(pk=pk).first()
    if product is None:
        former = get_object_or_404(Product.objects.filter(current_certificate__isnull=False), pk=pk)
        return render(request, "storefront/product_gone.html", {"product": former}, status=410)
    return render(
        request,
        "storefront/product_detail.html",
        {
            "product": product,
            "certificate": product.current_certificate,
            "listing": getattr(product, "store_listing", None),
            "traceability_url": traceability_url(product),
            "cart_form": AddToCartForm(initial={"product": product.pk}),
            "combos": GiftCombo.objects.visible().filter(items__product=product),
            "meet": meet_the_producer(product),
            "tours": tours_of(product.producer),
        },
    )


def combo_list(request):
    combos = GiftCombo.objects.visible().prefetch_related("items__product__store_listing")
    return render(request, "storefront/combo_list.html", {"combos": combos})


def combo_detail(request, slug: str):
    combo = GiftCombo.objects.visible().filter(slug=slug).prefetch_related("items__product__store_listing").first()
    if combo is None:
        raise Http404
    return render(request, "storefront/combo_detail.html", {"combo": combo})


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@require_POST
def cart_add(request):
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Could not add that to the cart."))
        return redirect(_safe_next(request, reverse("storefront:cart")))
    try:
        product = Cart(request.session).add(form.cleaned_data["product"], form.cleaned_data["quantity"])
    except CartError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Added to the cart: %(name)s") % {"name": product.name_vi})
    return redirect(_safe_next(request, reverse("storefront:cart")))


@require_POST
def cart_add_combo(request, slug: str):
    combo = GiftCombo.objects.visible().filter(slug=slug).first()
    if combo is None:
        raise Http404
    try:
        Cart(request.session).add_combo(combo.slug)  # the whole combo at its price, or nothing
    except CartError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Added to the cart: %(name)s") % {"name": combo.name_vi})
    return redirect("storefront:cart")


@require_POST
def cart_update(request):
    cart = Cart(request.session)
    for key, value in request.POST.items():
        if key.startswith("combo-"):
            try:
                cart.update_combo(key.removeprefix("combo-"), int(value))
            except ValueError:
                continue
        if key.startswith("quantity-"):
            try:
                cart.update(int(key.removeprefix("quantity-")), int(value))
            except ValueError:
                continue
    return redirect("storefront:cart")


def cart_view(request):
    cart = Cart(request.session)
    lines, combo_lines = cart.lines(), cart.combo_lines()
    everything = lines + combo_lines
    return render(
        request,
        "storefront/cart.html",
        {
            "lines": lines,
            "combo_lines": combo_lines,
            "total": cart_total(everything),
            "blocked": any(not line.available for line in everything),
        },
    )


CHECKOUT_SESSION = "storefront_checkout"
LAST_ORDER_SESSION = "storefront_last_order"


def _checkout_context(request) -> dict:
    cart = Cart(request.session)
    lines, combo_lines = cart.lines(), cart.combo_lines()
    return {
        "cart": cart,
        "lines": lines,
        "combo_lines": combo_lines,
        "total": cart_total(lines + combo_lines),
        "unavailable": [line for line in lines + combo_lines if not line.available],
        "checkout_available": checkout_service.online_checkout_available(),
    }


def _render_step(request, template: str, context: dict, *, refusal: str = ""):
    if refusal:
        context["refusal"] = refusal
    return render(request, template, context)


def checkout(request):
    """Step 1: email and shipping address; creates the Saleor checkout and shows the delivery step."""
    context = _checkout_context(request)
    form = CheckoutForm(request.POST or None)
    context["form"] = form
    lines = context["lines"]
    ready = (
        request.method == "POST"
        and context["checkout_available"]
        and (lines or context["combo_lines"])
        and not context["unavailable"]
    )
    if ready and form.is_valid():
        try:
            result = checkout_service.start_saleor_checkout(
                lines=lines,
                combo_lines=context["combo_lines"],
                email=form.cleaned_data["email"],
                address=form.address(),
            )
        except checkout_service.CheckoutUnavailable:
            context["checkout_available"] = False
        except checkout_service.CheckoutRefused as exc:
            context["refusal"] = str(exc)
        else:
            request.session[CHECKOUT_SESSION] = {
                "id": result["id"],
                "email": form.cleaned_data["email"],
                "cart": context["cart"].snapshot(),
            }
            return _render_delivery(request, context, result, created=True)
    return render(request, "storefront/checkout.html", context)


def _delivery_choices(saleor_checkout: dict) -> list[tuple[str, str]]:
    return [
        (method["id"], f"{method['name']} — {vnd((method.get('price') or {}).get('amount'))}")
        for method in saleor_checkout.get("shippingMethods") or []
        if method.get("active", True)
    ]


def _render_delivery(request, context, saleor_checkout, *, form=None, created=False):
    context.update(
        saleor_checkout=saleor_checkout,
        created=created,
        form=form or DeliveryForm(methods=_delivery_choices(saleor_checkout)),
    )
    return render(request, "storefront/checkout_delivery.html", context)


def _checkout_in_progress(request):
    """(context, checkout id) of the checkout this session started for this very cart, else (context, None)."""
    context = _checkout_context(request)
    state = request.session.get(CHECKOUT_SESSION) or {}
    if not state.get("id") or state.get("cart") != context["cart"].snapshot():
        return context, None
    context["email"] = state.get("email", "")
    return context, state["id"]


def _refused_by_cart(context) -> str:
    if context["unavailable"]:
        return _("%(names)s can no longer be bought. Please remove it from your cart.") % {
            "names": ", ".join(
                line.combo.name_vi if hasattr(line, "combo") else line.product.name_vi
                for line in context["unavailable"]
            )
        }
    return ""


def _checkout_step(template: str):
    """A step after the address: only with a checkout in progress and a cart that may still be bought; Saleor
    unreachable or refusing shows the step again with why."""

    def decorator(step):
        @functools.wraps(step)
        def view(request):
            context, checkout_id = _checkout_in_progress(request)
            if checkout_id is None:
                return redirect("storefront:checkout")
            refusal = _refused_by_cart(context)
            if refusal:
                return _render_step(request, template, context, refusal=refusal)
            try:
                return step(request, context, checkout_id)
            except checkout_service.CheckoutUnavailable:
                context["checkout_available"] = False
                return render(request, "storefront/checkout.html", context)
            except checkout_service.CheckoutRefused as exc:
                return _render_step(request, template, context, refusal=str(exc))

        return view

    return decorator


@_checkout_step("storefront/checkout_delivery.html")
def checkout_delivery(request, context, checkout_id):
    """Step 2: the delivery method, among those Saleor offers for the address."""
    saleor_checkout = checkout_service.current_checkout(checkout_id)
    if request.method == "POST":
        form = DeliveryForm(request.POST, methods=_delivery_choices(saleor_checkout))
        if form.is_valid():
            checkout_service.choose_delivery(checkout_id, form.cleaned_data["delivery_method"])
            return redirect("storefront:checkout_payment")
        return _render_delivery(request, context, saleor_checkout, form=form)
    return _render_delivery(request, context, saleor_checkout)


@_checkout_step("storefront/checkout_payment.html")
def checkout_payment(request, context, checkout_id):
    """Step 3: pay (cash on delivery, or Saleor's test gateway in development) and place the order."""
    methods = checkout_service.payment_methods(checkout_id)
    form = PaymentForm(request.POST or None, methods=methods)
    saleor_checkout = checkout_service.current_checkout(checkout_id)
    if not saleor_checkout.get("deliveryMethod"):
        return redirect("storefront:checkout_delivery")
    if request.method == "POST" and form.is_valid() and form.cleaned_data["payment"] in checkout_service.ONLINE:
        from .payment_views import start_online_payment

        return start_online_payment(request, context, checkout_id, form.cleaned_data["payment"])
    if request.method == "POST" and form.is_valid():
        order = checkout_service.place_order(checkout_id, form.cleaned_data["payment"])
        gross = (order.get("total") or {}).get("gross") or {}
        request.session[LAST_ORDER_SESSION] = {
            "number": str(order["number"]),
            "email": order.get("userEmail") or context.get("email", ""),
            "status": order.get("status", ""),
            "total": str(gross.get("amount", "")),
            "payment": str(dict(methods)[form.cleaned_data["payment"]]),
        }
        request.session.pop(CHECKOUT_SESSION, None)
        context["cart"].clear()
        return redirect("storefront:order_confirmation")
    context.update(saleor_checkout=saleor_checkout, form=form)
    return render(request, "storefront/checkout_payment.html", context)


def order_confirmation(request):
    order = request.session.get(LAST_ORDER_SESSION)
    if not order:
        return redirect("storefront:home")
    return render(request, "storefront/order_confirmation.html", {"order": order})


def _lookup_email(request) -> str:
    return request.POST.get("email", "").strip().lower()[:254]


@throttled("storefront.order_lookup", account=_lookup_email)
def order_lookup(request):
    """An order by email AND number: shown only when both match (never says which one did not). Throttled per
    client and per e-mail, so order numbers cannot be walked through."""
    form = OrderLookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        order = checkout_service.find_order(email=form.cleaned_data["email"], number=form.cleaned_data["number"])
        context["order"] = order
        context["not_found"] = order is None
    return render(request, "storefront/order_lookup.html", context)
