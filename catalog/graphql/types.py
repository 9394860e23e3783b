import graphene
from graphene_django import DjangoObjectType

from .. import models, permissions


class ProductGroupType(DjangoObjectType):
    class Meta:
        model = models.ProductGroup
        name = "ProductGroup"
        fields = ["code", "name_vi", "name_en"]


class ProductSubGroupType(DjangoObjectType):
    class Meta:
        model = models.ProductSubGroup
        name = "ProductSubGroup"
        fields = ["code", "name_vi", "name_en", "group"]


class CommuneType(DjangoObjectType):
    class Meta:
        model = models.Commune
        name = "Commune"
        fields = ["id", "code", "name", "district", "province"]


class ProducerType(DjangoObjectType):
    address = graphene.String(required=True)

    class Meta:
        model = models.Producer
        name = "Producer"
        fields = ["id", "kind", "name", "registration_number", "representative", "website", "commune"]

    @staticmethod
    def resolve_address(producer, info):
        return producer.address


class DecisionType(DjangoObjectType):
    class Meta:
        model = models.CertificationDecision
        name = "CertificationDecision"
        fields = ["number", "kind", "signed_on", "authority_level", "authority_name", "reason"]

    rule_set = graphene.String(required=True, description="The rule set in force when the decision was signed.")

    @staticmethod
    def resolve_rule_set(decision, info):
        return decision.rule_set.code


class CertificateType(DjangoObjectType):
    state = graphene.String(required=True, description="active, expired, superseded or revoked, as of today.")

    class Meta:
        model = models.Certificate
        name = "Certificate"
        fields = ["id", "product", "stars", "issued_on", "valid_until", "decision", "revocation"]

    @staticmethod
    def resolve_state(certificate, info):
        return certificate.state_on()

    @staticmethod
    def resolve_revocation(certificate, info):
        """The revocation decision (with its reason) only to those whose scope holds the certificate: the
        public reads certificates of listable products only, which are never revoked."""
        if certificate.revocation_id is None or not permissions.can_access(info.context.user, certificate):
            return None
        return certificate.revocation


class ProductType(DjangoObjectType):
    listable = graphene.Boolean(required=True, description="True while the product may be listed and sold today.")
    certificate = graphene.Field(CertificateType, description="The product's current certificate.")

    class Meta:
        model = models.Product
        name = "Product"
        fields = [
            "id",
            "producer",
            "name_vi",
            "name_en",
            "group",
            "subgroup",
            "description_vi",
            "description_en",
            "story_vi",
            "story_en",
            "gtin",
            "brand",
            "packaging",
            "shelf_life_days",
            "certified_stars",
            "certified_until",
        ]

    @staticmethod
    def resolve_listable(product, info):
        return product.is_listable()

    @staticmethod
    def resolve_certificate(product, info):
        return product.current_certificate


def page_of(item_type, name):
    """An offset page: the items, the total count and whether more follow."""
    return type(
        name,
        (graphene.ObjectType,),
        {
            "total_count": graphene.Int(required=True),
            "has_next_page": graphene.Boolean(required=True),
            "items": graphene.List(graphene.NonNull(item_type), required=True),
        },
    )


ProductPage = page_of(ProductType, "ProductPage")
ProducerPage = page_of(ProducerType, "ProducerPage")
CertificatePage = page_of(CertificateType, "CertificatePage")
