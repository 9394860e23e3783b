"""The OCOP certification registry's models, one module per part; every model is importable from here."""

from .audit import AuditLogEntry
from .certification import (
    CERTIFICATE_VALIDITY_MONTHS,
    Certificate,
    CertificationDecision,
    Evaluation,
    PreAssessment,
    certificate_valid_until,
)
from .reference import Commune, ProductGroup, ProductSubGroup
from .registry import Membership, Producer, Product
from .rules import Level, LevelRule, RuleSet, StarBand

__all__ = [
    "CERTIFICATE_VALIDITY_MONTHS", "AuditLogEntry", "Certificate", "CertificationDecision", "Commune", "Evaluation",
    "Level", "LevelRule", "Membership", "PreAssessment", "Producer", "Product", "ProductGroup", "ProductSubGroup",
    "RuleSet", "StarBand", "certificate_valid_until",
]
