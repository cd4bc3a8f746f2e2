"""The API schema: storefront reads, checkout, and the cooperatives' own API."""

import graphene

from shop.graphql.catalogue import CatalogueQuery
from shop.graphql.checkout import CheckoutMutations, CheckoutQuery
from shop.graphql.cooperative import CooperativeMutations
from shop.graphql.cooperative_types import CooperativeQuery
from shop.graphql.orders import OrderMutations, OrderQuery
from shop.graphql.trace import TraceQuery


class Query(
    CatalogueQuery, TraceQuery, CheckoutQuery, OrderQuery, CooperativeQuery, graphene.ObjectType
):
    pass


class Mutation(CheckoutMutations, OrderMutations, CooperativeMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
