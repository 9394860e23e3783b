"""Thin resolvers: start from what the user may see (``permissions.visible``), apply filters, paginate.

Every argument is checked here (``arguments``) before it reaches a query: a bad one is a ``BadInput`` error naming
the argument, never a database error."""

from django.db.models import Q

from .. import permissions
from ..models import Certificate, Producer, Product
from .arguments import (
    DEFAULT_PAGE_SIZE,
    MAX_OFFSET,
    MAX_PAGE_SIZE,
    BadInput,
    check_code,
    check_id,
    check_stars,
    offset_message,
    page_size_message,
)


def paginate(queryset, first: int | None, offset: int | None) -> dict:
    first = DEFAULT_PAGE_SIZE if first is None else first  # an explicit null: the default
    offset = offset or 0
    if not 0 < first <= MAX_PAGE_SIZE:
        raise BadInput(page_size_message())
    if not 0 <= offset <= MAX_OFFSET:
        raise BadInput(offset_message())
    total = queryset.count()
    items = list(queryset[offset : offset + first])
    return {"total_count": total, "has_next_page": offset + first < total, "items": items}


def _product_filters(stars=None, min_stars=None, group=None, commune=None, producer=None, prefix=""):
    stars, min_stars = check_stars("stars", stars), check_stars("minStars", min_stars)
    group, commune, producer = check_code("group", group), check_id("commune", commune), check_id("producer", producer)
    q = Q()
    if stars is not None:
        q &= Q(**{f"{prefix}certified_stars": stars})
    if min_stars is not None:
        q &= Q(**{f"{prefix}certified_stars__gte": min_stars})
    if group:
        q &= Q(**{f"{prefix}group__code": group}) | Q(**{f"{prefix}subgroup__code": group})
    if commune is not None:
        q &= Q(**{f"{prefix}producer__commune_id": commune})
    if producer is not None:
        q &= Q(**{f"{prefix}producer_id": producer})
    return q


def resolve_products(info, *, first, offset, **filters):
    products = Product.objects.visible_to(info.context.user).filter(_product_filters(**filters))
    products = products.select_related(
        "producer__commune", "group", "subgroup", "current_certificate__decision__rule_set"
    ).order_by("-certified_stars", "name_vi", "pk")
    return paginate(products, first, offset)


def resolve_product(info, id):
    id = check_id("id", id)
    return (
        Product.objects.visible_to(info.context.user)
        .filter(pk=id)
        .select_related("producer__commune", "group", "subgroup", "current_certificate__decision")
        .first()
    )


def resolve_producers(info, *, first, offset, commune=None, kind=None):
    """Producers of listable products, plus those the user's role gives them."""
    commune, kind = check_id("commune", commune), check_code("kind", kind)
    producers = permissions.visible(Producer.objects.select_related("commune"), info.context.user)
    if commune is not None:
        producers = producers.filter(commune_id=commune)
    if kind:
        producers = producers.filter(kind=kind)
    return paginate(producers.order_by("name", "pk"), first, offset)


def resolve_certificates(info, *, first, offset, stars=None, min_stars=None, **filters):
    """The current certificates of listable products, plus the certificates the user's role gives them."""
    stars, min_stars = check_stars("stars", stars), check_stars("minStars", min_stars)
    certificates = permissions.visible(
        Certificate.objects.select_related("product__producer", "decision__rule_set", "revocation"), info.context.user
    ).filter(_product_filters(prefix="product__", **filters))
    if stars is not None:
        certificates = certificates.filter(stars=stars)
    if min_stars is not None:
        certificates = certificates.filter(stars__gte=min_stars)
    return paginate(certificates.order_by("-issued_on", "pk"), first, offset)
