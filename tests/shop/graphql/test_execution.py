"""shop.graphql.execution's shortcut answers exactly as graphql-core does, errors included:
dict rows with values of every kind, missing non-null values at each depth, values the
serializers refuse, and instances beside dicts."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import graphene
from graphql import execute, parse

from shop.graphql.execution import RowExecutionContext


class Leaf(graphene.ObjectType):
    name = graphene.String(required=True)
    note = graphene.String()
    count = graphene.Int()
    amount = graphene.Decimal()
    day = graphene.Date()
    ratio = graphene.Float()
    flag = graphene.Boolean()
    code = graphene.ID(source="pk")


class Item(graphene.ObjectType):
    label = graphene.String(required=True)
    leaf = graphene.Field(Leaf, required=True)
    maybe = graphene.Field(Leaf)
    leaves = graphene.List(graphene.NonNull(Leaf), required=True)
    optional_leaves = graphene.List(graphene.NonNull(Leaf))
    loose_leaves = graphene.List(Leaf)
    shout = graphene.String()

    def resolve_shout(root, info):
        return root["label"].upper()


def leaf(name="n", **values):
    return {"name": name, "pk": 7, **values}


ROWS = [
    {
        "label": "plain",
        "leaf": leaf(note=None, count=3, amount=Decimal("1.50"), day=datetime.date(2026, 1, 2),
                     ratio=0.5, flag=True),
        "maybe": None,
        "leaves": [leaf(), leaf(count=True, ratio=2)],
        "optional_leaves": [leaf(count=2**40)],
        "loose_leaves": [leaf(), None, leaf(name=None)],
    },
    {
        "label": "odd values",
        "leaf": leaf(day=datetime.datetime(2026, 1, 2, 3, 4), amount="2.5", ratio=float("nan")),
        "maybe": leaf(name=None),
        "leaves": [],
        "optional_leaves": [leaf(), leaf(name=None)],
        "loose_leaves": None,
    },
    SimpleNamespace(
        label="an instance", leaf=leaf(), maybe=None, leaves=[SimpleNamespace(name="i", pk=1)],
        optional_leaves=None, loose_leaves=[],
    ),
]  # fmt: skip


class Query(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(Item), required=True)
    loose_items = graphene.List(Item)
    broken = graphene.List(graphene.NonNull(Item))

    def resolve_items(root, info):
        return ROWS[:1]

    def resolve_loose_items(root, info):
        return ROWS

    def resolve_broken(root, info):
        return [{**ROWS[0], "leaf": leaf(name=None)}]


schema = graphene.Schema(query=Query)
LEAF = "name note count amount day ratio flag code"
ITEM = (
    f"label shout leaf {{ {LEAF} }} maybe {{ {LEAF} }} leaves {{ {LEAF} }}"
    f" optionalLeaves {{ {LEAF} }} looseLeaves {{ {LEAF} }}"
)
QUERY = f"{{ items {{ {ITEM} }} looseItems {{ {ITEM} }} broken {{ {ITEM} }} }}"


def answer(**kwargs):
    result = execute(schema.graphql_schema, parse(QUERY), **kwargs)
    return result.data, [error.formatted for error in result.errors or []]


def test_the_shortcut_answers_and_fails_exactly_as_graphql_core():
    # given rows of every kind, and graphql-core's own answer
    expected_data, expected_errors = answer()

    # when the same query runs with the shortcut
    data, errors = answer(execution_context_class=RowExecutionContext)

    # then data and errors are the same, in the same order
    assert data == expected_data
    assert errors == expected_errors
    assert len(errors) == 9
    assert data["items"][0]["leaf"] == {
        "name": "n", "note": None, "count": 3, "amount": "1.50", "day": "2026-01-02",
        "ratio": 0.5, "flag": True, "code": "7",
    }  # fmt: skip
    assert data["broken"] is None
