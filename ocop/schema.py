import graphene

from catalog.graphql.schema import CatalogQueries


class Query(CatalogQueries, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query)
