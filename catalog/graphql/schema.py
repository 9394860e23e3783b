"""Read-only GraphQL API of the registry: certified products, producers and certificates."""

import graphene

from . import resolvers
from .arguments import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .types import CertificatePage, ProducerPage, ProductPage, ProductType

PAGE_ARGS = {
    "first": graphene.Int(default_value=DEFAULT_PAGE_SIZE, description=f"Page size, 1 to {MAX_PAGE_SIZE}."),
    "offset": graphene.Int(default_value=0),
}
PRODUCT_FILTERS = {
    "stars": graphene.Int(description="Exactly this many stars."),
    "min_stars": graphene.Int(description="At least this many stars."),
    "group": graphene.String(description="Product group or sub-group code, e.g. '1' or '1.6'."),
    "commune": graphene.ID(description="Producer's commune id."),
    "producer": graphene.ID(description="Producer id."),
}


class CatalogQueries(graphene.ObjectType):
    products = graphene.Field(
        graphene.NonNull(ProductPage),
        description="Products that may be sold today (staff see every product).",
        **PRODUCT_FILTERS,
        **PAGE_ARGS,
    )
    product = graphene.Field(ProductType, id=graphene.ID(required=True))
    producers = graphene.Field(
        graphene.NonNull(ProducerPage),
        commune=graphene.ID(),
        kind=graphene.String(),
        **PAGE_ARGS,
    )
    certificates = graphene.Field(graphene.NonNull(CertificatePage), **PRODUCT_FILTERS, **PAGE_ARGS)

    @staticmethod
    def resolve_products(root, info, **kwargs):
        return resolvers.resolve_products(info, **kwargs)

    @staticmethod
    def resolve_product(root, info, id):
        return resolvers.resolve_product(info, id)

    @staticmethod
    def resolve_producers(root, info, **kwargs):
        return resolvers.resolve_producers(info, **kwargs)

    @staticmethod
    def resolve_certificates(root, info, **kwargs):
        return resolvers.resolve_certificates(info, **kwargs)
