"""Roles of the staff site and the one rule saying who sees which rows.

Model permissions say what a role may do; ``scope`` says to which rows. Users with
``catalog.view_all_records`` (the province's OCOP office, the Department of Industry and Trade)
see every row; a commune officer sees the rows of the commune in their membership; a producer
account sees its own producer's rows; anyone else sees nothing. ``visible`` adds what is public
(the listing rule) to that, for the pages and APIs everyone may read. Models of other apps (lots,
items, jobs, events, inspections) name the path to their producer and follow the same rule.
"""

import datetime
import functools
import operator

from django.db.models import F, Q, QuerySet

from .models import (
    AuditLogEntry,
    Certificate,
    CertificationDecision,
    Commune,
    Evaluation,
    Membership,
    PreAssessment,
    Producer,
    Product,
)
from .querysets import listable_q
from .roles import managing

OCOP_OFFICE = "Văn phòng Điều phối OCOP tỉnh (OCOP office)"
COMMUNE_OFFICER = "Cán bộ xã (commune officer)"
PRODUCER = "Chủ thể OCOP (producer)"
DEPARTMENT_OF_INDUSTRY_AND_TRADE = "Sở Công Thương (Department of Industry and Trade)"

_CATALOG_MODELS = [
    "commune",
    "productgroup",
    "productsubgroup",
    "producer",
    "product",
    "preassessment",
    "evaluation",
    "certificationdecision",
    "certificate",
    "ruleset",
    "starband",
    "levelrule",
    "membership",
]

ROLE_PERMISSIONS = {
    OCOP_OFFICE: managing(_CATALOG_MODELS)
    + [
        "catalog.view_all_records",
        "catalog.view_auditlogentry",
        "outbox.view_outboxevent",
        "outbox.view_outboxdelivery",
        "outbox.change_outboxdelivery",
    ],
    COMMUNE_OFFICER: [
        "catalog.view_producer",
        "catalog.view_product",
        "catalog.add_preassessment",
        "catalog.view_preassessment",
        "catalog.view_evaluation",
        "catalog.view_certificate",
    ],
    PRODUCER: [
        "catalog.view_producer",
        "catalog.view_product",
        "catalog.view_preassessment",
        "catalog.view_evaluation",
        "catalog.view_certificate",
        "catalog.view_certificationdecision",
    ],
    DEPARTMENT_OF_INDUSTRY_AND_TRADE: [f"catalog.view_{model}" for model in _CATALOG_MODELS]
    + ["catalog.view_all_records", "catalog.view_auditlogentry"],
}

# For each registry model, the paths from it to the commune and to the producer it belongs to (several paths:
# a row belongs to whoever any of them reaches). A decision reaches its products through the certificates it
# grants and those it revokes.
_PATHS = {
    Commune: (("pk",), ()),
    Producer: (("commune",), ("pk",)),
    Product: (("producer__commune",), ("producer",)),
    PreAssessment: (("commune",), ("product__producer",)),
    Evaluation: (("product__producer__commune",), ("product__producer",)),
    Certificate: (("product__producer__commune",), ("product__producer",)),
    CertificationDecision: (
        ("certificates__product__producer__commune", "revoked_certificates__product__producer__commune"),
        ("certificates__product__producer", "revoked_certificates__product__producer"),
    ),
}

#: Models of other apps declare the path to their producer as this class attribute (e.g. a lot:
#: ``"product__producer"``), so their rows follow the same rule without catalog knowing them.
PRODUCER_PATH_ATTRIBUTE = "scoped_through_producer"
#: A row that belongs to a commune without (always) a producer (a potential product, a commune's report) names
#: the path to its commune instead, or as well.
COMMUNE_PATH_ATTRIBUTE = "scoped_through_commune"


def _paths(model) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    if model in _PATHS:
        return _PATHS[model]
    producer_path = getattr(model, PRODUCER_PATH_ATTRIBUTE, None)
    commune_path = getattr(model, COMMUNE_PATH_ATTRIBUTE, None)
    if producer_path is None and commune_path is None:
        return None
    if commune_path is None:
        return (f"{producer_path}__commune",), (producer_path,)
    return (commune_path,), ((producer_path,) if producer_path else ())


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.ocop_membership
    except Membership.DoesNotExist:
        return None


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm("catalog.view_all_records"))


_NOTHING = Q(pk__in=[])


def scope_q(model, user) -> Q | None:
    """The condition on ``model``'s rows that ``user``'s role gives them, or None for every row.

    The one scoping rule: the OCOP office and the Department (``catalog.view_all_records``) see everything; a
    commune officer the rows of their commune; a producer account the rows of its producer; anyone else nothing.
    """
    if sees_everything(user):
        return None
    membership = membership_of(user)
    paths = _paths(model)
    if membership is None or not user.is_active or paths is None or model is AuditLogEntry:
        return _NOTHING
    commune_paths, producer_paths = paths
    if membership.commune_id is not None:
        return _reaching(model, commune_paths, membership.commune_id)
    if membership.producer_id is not None:
        return _reaching(model, producer_paths, membership.producer_id)
    return _NOTHING


def _reaching(model, paths: tuple[str, ...], target_id) -> Q:
    """Rows of ``model`` from which one of ``paths`` reaches the row ``target_id``."""
    if not paths:
        return _NOTHING
    condition = functools.reduce(operator.or_, (Q(**{path: target_id}) for path in paths))
    if any(_crosses_many(model, path) for path in paths):
        # A path through a one-to-many relation repeats the row once per match: select the ids instead.
        return Q(pk__in=model._default_manager.filter(condition).values("pk"))
    return condition


def _crosses_many(model, path: str) -> bool:
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        if field.related_model is None:
            return False
        model = field.related_model
    return False


def scope(queryset: QuerySet, user) -> QuerySet:
    """Restrict ``queryset`` to the rows ``user``'s role gives them (staff site, portals, staff endpoints)."""
    condition = scope_q(queryset.model, user)
    return queryset if condition is None else queryset.filter(condition)


def of_producer(queryset: QuerySet, producer) -> QuerySet:
    """The rows of ``queryset`` that belong to ``producer`` (the producers' portal pages and figures)."""
    paths = _paths(queryset.model)
    return queryset.filter(_reaching(queryset.model, paths[1] if paths else (), producer.pk))


def _public_q(model, today) -> Q:
    """What anyone may see of ``model``, signed in or not: only what the listing rule lets be sold today."""
    if model is Product:
        return listable_q(today)
    if model is Producer:
        return Q(pk__in=Product.objects.listable(today).values("producer_id"))
    if model is Certificate:
        return listable_q(today, prefix="product__") & Q(product__current_certificate=F("pk"))
    return _NOTHING


def visible(queryset: QuerySet, user, today: datetime.date | None = None) -> QuerySet:
    """What ``user`` may read: the public rows plus the rows their role gives them (GraphQL, public pages)."""
    condition = scope_q(queryset.model, user)
    if condition is None:
        return queryset
    return queryset.filter(_public_q(queryset.model, today) | condition)


def can_access(user, obj) -> bool:
    """Whether ``obj`` is within ``user``'s scope; views answer 404 when it is not, as for an unknown id."""
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user).exists()
