"""The trace page's reads, as hand-written SQL (shop.joined_rows): a first scan of a lot is
rendered on the request that asks for it, and the ORM's building of the same joined queries
cost more than the rest of the page (issue 13). Three queries for a lot, four for a box lot,
whatever the number of events or components; the instances come back linked as
`select_related` would leave them, so the page and the checks read them as before."""

from collections import defaultdict

from django.db import connection

from shop import joined_rows
from shop.joined_rows import Joined, Part
from shop.models import AssemblyInput, AssemblyRun, Batch, Cooperative, Product, Variant
from shop.models.gifts import CooperativeVisit
from traceability.models import Checkpoint, CheckpointHead, Province, Recall, TraceEvent, Village


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# A lot as the page shows it: the batch "b" with its product and origin.
LOT_PARTS = (
    Part(Variant, "v", "b", "variant"),
    Part(Product, "p", "v", "product"),
    Part(Cooperative, "c", "p", "cooperative"),
    Part(Village, "bv", "b", "village"),
    Part(Province, "bp", "bv", "province"),
)


def _lot_joins() -> str:
    return (
        f"INNER JOIN {_table(Variant)} v ON v.id = b.variant_id "
        f"INNER JOIN {_table(Product)} p ON p.id = v.product_id "
        f"INNER JOIN {_table(Cooperative)} c ON c.id = p.cooperative_id "
        f"INNER JOIN {_table(Village)} bv ON bv.id = b.village_id "
        f"INNER JOIN {_table(Province)} bp ON bp.id = bv.province_id "
    )


LOT = Joined(
    [
        Part(Batch, "b"),
        *LOT_PARTS,
        Part(Recall, "r", "b", "recall", optional=True),
        # The cooperative's published invitation to its village, and that village (the
        # cooperative's, which may not be the lot's): the page's "Visit the village".
        Part(CooperativeVisit, "cv", "c", "visit", optional=True),
        Part(Village, "cvv", "c", "village"),
        Part(Province, "cvp", "cvv", "province"),
    ]
)


def lot(batch_id: int) -> Batch | None:
    """The batch with its variant, product, cooperative, village and province, and recall;
    the cooperative with its published visit (or None) and its own village and province.
    One query; every join is one row by key, yet PostgreSQL's planning of it costs three times
    running it and grows with each table, so only what the page shows is joined (the
    statement is prepared once per connection: joined_rows.prepared_cursor)."""
    sql = (
        f"SELECT {LOT.columns} FROM {_table(Batch)} b {_lot_joins()}"
        f"LEFT JOIN {_table(Recall)} r ON r.batch_id = b.id "
        f"LEFT JOIN {_table(CooperativeVisit)} cv ON cv.cooperative_id = c.id AND cv.published "
        f"INNER JOIN {_table(Village)} cvv ON cvv.id = c.village_id "
        f"INNER JOIN {_table(Province)} cvp ON cvp.id = cvv.province_id "
        "WHERE b.id = %s"
    )
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, [batch_id])
        row = cursor.fetchone()
    return None if row is None else LOT.instances(row)["b"]


COMPONENT = Joined([Part(AssemblyInput, "i"), Part(Batch, "b", "i", "batch"), *LOT_PARTS])


def components(box_batch_id: int) -> list[AssemblyInput]:
    """A box lot's inputs (none for any other lot), each with its component lot, product,
    cooperative and village."""
    sql = (
        f"SELECT {COMPONENT.columns} FROM {_table(AssemblyInput)} i "
        f"INNER JOIN {_table(AssemblyRun)} a ON a.id = i.run_id "
        f"INNER JOIN {_table(Batch)} b ON b.id = i.batch_id {_lot_joins()}"
        "WHERE a.box_batch_id = %s ORDER BY i.id"
    )
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, [box_batch_id])
        return [COMPONENT.instances(row)["i"] for row in cursor.fetchall()]


EVENT = Joined(
    [
        Part(TraceEvent, "e"),
        Part(Village, "ev", "e", "village", optional=True),
        Part(Province, "ep", "ev", "province", optional=True),
    ]
)


def events(batch_ids: list[int]) -> tuple[dict[int, list[TraceEvent]], dict[int, list[int]]]:
    """The batches' events in sequence order (each with its village and province), and each
    event's input batch ids, in one query (an event's inputs join as extra rows)."""
    through = TraceEvent.inputs.through
    field = TraceEvent._meta.get_field("inputs")
    own, other = field.m2m_column_name(), field.m2m_reverse_name()
    marks = ", ".join(["%s"] * len(batch_ids))
    sql = (
        f"SELECT {EVENT.columns}, x.{other} FROM {_table(TraceEvent)} e "
        f"LEFT JOIN {_table(Village)} ev ON ev.id = e.village_id "
        f"LEFT JOIN {_table(Province)} ep ON ep.id = ev.province_id "
        f"LEFT JOIN {_table(through)} x ON x.{own} = e.id "
        f"WHERE e.batch_id IN ({marks}) ORDER BY e.batch_id, e.sequence, x.{other}"
    )
    chains: dict[int, list[TraceEvent]] = {batch_id: [] for batch_id in batch_ids}
    inputs: dict[int, list[int]] = defaultdict(list)
    last_id = None
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, batch_ids)
        for row in cursor.fetchall():
            event_id, input_id = row[0], row[-1]
            if event_id != last_id:
                event = EVENT.instances(row)["e"]
                chains[event.batch_id].append(event)
                last_id = event_id
            if input_id is not None:
                inputs[event_id].append(input_id)
    return chains, inputs


HEAD = Joined([Part(CheckpointHead, "h"), Part(Checkpoint, "k", "h", "checkpoint")])


def latest_head(batch_id: int) -> CheckpointHead | None:
    """The batch's last signed head with its checkpoint (checkpoints.latest_head, raw)."""
    sql = (
        f"SELECT {HEAD.columns} FROM {_table(CheckpointHead)} h "
        f"INNER JOIN {_table(Checkpoint)} k ON k.id = h.checkpoint_id "
        "WHERE h.batch_id = %s ORDER BY h.checkpoint_id DESC LIMIT 1"
    )
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, [batch_id])
        row = cursor.fetchone()
    return None if row is None else HEAD.instances(row)["h"]
