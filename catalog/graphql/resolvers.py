"""Thin resolvers: start from what the user may see (``permissions.visible``), apply filters, paginate."""

from django.db.models import Q
from graphql import GraphQLError

from .. import permissions
from ..models import Certificate, Producer, Product

MAX_PAGE_SIZE = 100


def paginate(queryset, first: int, offset: int) -> dict:
    if not 0 < first <= MAX_PAGE_SIZE:
        raise GraphQLError(f"'first' must be between 1 and {MAX_PAGE_SIZE}.")
    if offset < 0:
        raise GraphQLError("'offset' must not be negative.")
    total = queryset.count()
    items = list(queryset[offset : offset + first])
    return {"total_count": total, "has_next_page": offset + first < total, "items": items}


def _product_filters(stars=None, min_stars=None, group=None, commune=None, producer=None, prefix=""):
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
    return Product.objects.visible_to(info.context.user).filter(pk=id).select_related(
        "producer__commune", "group", "subgroup", "current_certificate__decision"
    ).first()


def resolve_producers(info, *, first, offset, commune=None, kind=None):
    """Producers of listable products, plus those the user's role gives them."""
    producers = permissions.visible(Producer.objects.select_related("commune"), info.context.user)
    if commune is not None:
        producers = producers.filter(commune_id=commune)
    if kind:
        producers = producers.filter(kind=kind)
    return paginate(producers.order_by("name", "pk"), first, offset)


def resolve_certificates(info, *, first, offset, stars=None, min_stars=None, **filters):
    """The current certificates of listable products, plus the certificates the user's role gives them."""
    certificates = permissions.visible(Certificate.objects.select_related(
        "product__producer", "decision__rule_set", "revocation"
    ), info.context.user).filter(_product_filters(prefix="product__", **filters))
    if stars is not None:
        certificates = certificates.filter(stars=stars)
    if min_stars is not None:
        certificates = certificates.filter(stars__gte=min_stars)
    return paginate(certificates.order_by("-issued_on", "pk"), first, offset)
