"""The OCOP certification registry's models, one module per part; every model is importable from here."""

from .audit import AuditLogEntry
from .certification import (
    Certificate,
    CertificationDecision,
    Evaluation,
    PreAssessment,
)
from .reference import Commune, ProductGroup, ProductSubGroup
from .registry import Membership, Producer, Product
from .rules import Level, LevelRule, RuleSet, StarBand, ValidityCounting, validity_end

__all__ = [
    "AuditLogEntry",
    "Certificate",
    "CertificationDecision",
    "Commune",
    "Evaluation",
    "Level",
    "LevelRule",
    "Membership",
    "PreAssessment",
    "Producer",
    "Product",
    "ProductGroup",
    "ProductSubGroup",
    "RuleSet",
    "StarBand",
    "ValidityCounting",
    "validity_end",
]
