"""The API schema: storefront reads, checkout, and the cooperatives' own API."""

import graphene

from shop.graphql.catalogue import CatalogueQuery


class Query(CatalogueQuery, graphene.ObjectType):
    node = graphene.relay.Node.Field()


schema = graphene.Schema(query=Query)
