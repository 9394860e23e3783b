import graphene


class CatalogQueries(graphene.ObjectType):
    ping = graphene.String()
