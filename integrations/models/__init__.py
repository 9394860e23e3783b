"""The integrations' models, one module per part: ``marketplaces`` (destinations, listing states, deliveries) and
``salespoints`` (points, operators, assortments, inspections, notices, sales reports). Feeds are pulled and need no
rows. Every model is importable from here."""

from .marketplaces import DeliveryAttempt, Destination, DestinationDelivery, ListingState
from .salespoints import (
    Assortment,
    FollowUpAction,
    Inspection,
    InspectionFinding,
    InspectionPhoto,
    LocationKind,
    OperatorNotice,
    OperatorOrganisation,
    PointCriterion,
    PointOperatorMembership,
    SalesPoint,
    SalesPointStatusChange,
    SalesReport,
    StockListEntry,
    validate_photo,
)

__all__ = [
    "Assortment",
    "DeliveryAttempt",
    "Destination",
    "DestinationDelivery",
    "FollowUpAction",
    "Inspection",
    "InspectionFinding",
    "InspectionPhoto",
    "ListingState",
    "LocationKind",
    "OperatorNotice",
    "OperatorOrganisation",
    "PointCriterion",
    "PointOperatorMembership",
    "SalesPoint",
    "SalesPointStatusChange",
    "SalesReport",
    "StockListEntry",
    "validate_photo",
]
