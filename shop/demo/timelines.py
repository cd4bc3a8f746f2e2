"""Each demo batch's trace timeline: three to six stages, dated, described and pictured.

The first stage, the harvest in the batch's village, is written by
traceability.receipts.receive_lot when the loader receives the batch (it carries the batch's
facts); append_stages writes the rest through traceability.events, each with a drawn photo
(stage_pictures.py). Times are aware, in order, between the harvest and the last packing
day plus a few days, and never later than now.
"""

import datetime
import zlib
from collections.abc import Sequence

from django.utils import timezone

from shop.demo.journeys import CE, GIFT_BOX_STAGES, IN, PK, PR, SH, Stage
from shop.demo.journeys_crafts import CRAFT_JOURNEYS
from shop.demo.journeys_food import FOOD_JOURNEYS
from shop.demo.stage_pictures import stage_photo
from shop.models import Batch, Cooperative
from traceability import events, receipts
from traceability.models import EventKind

JOURNEYS = FOOD_JOURNEYS | CRAFT_JOURNEYS
MIN_STAGES, MAX_STAGES = 3, 6
# Stages left out of a shorter timeline, first to last.
DROP_ORDER = (CE, SH, PR, IN)
# Days after packing, and the hour, of the stages that follow it.
AFTER_PACKING = {IN: (1, 10), CE: (2, 14), SH: (3, 7)}

# Which journey a product follows: the first key word found in its slug (so ginseng in
# honey is ginseng, a crackle-glaze tea set is ceramics).
KEYWORDS = (
    ("fish-sauce", "fish-sauce"),
    ("pepper", "pepper"),
    ("rice", "rice"),
    ("longan", "longan"),
    ("ginseng", "ginseng"),
    ("honey", "honey"),
    ("squid", "seafood"),
    ("shrimp", "seafood"),
    ("crackle", "ceramics"),
    ("vase", "ceramics"),
    ("tea", "tea"),
    ("coffee", "coffee"),
    ("robusta", "coffee"),
    ("wine", "wine"),
    ("herbal", "herbs"),
    ("silk", "silk"),
    ("embroidered", "embroidery"),
    ("lacquer", "lacquer"),
    ("sedge", "sedge"),
)


def journey_for(slug: str) -> tuple[Stage, ...]:
    """The journey of the product with this slug; KeyError for a product without one."""
    for word, name in KEYWORDS:
        if word in slug:
            return JOURNEYS[name]
    raise KeyError(slug)


def stage_count(lot_code: str, *, most: int = MAX_STAGES) -> int:
    """How many stages the lot's own timeline shows: 4, 5 or 6 by its code, at most `most`
    (a component lot leaves room for the shipping and receiving of its gift-box transfers)."""
    return min(4 + zlib.crc32(lot_code.encode()) % 3, most)


def pick(journey: Sequence[Stage], count: int) -> list[Stage]:
    """`count` stages of the journey, in its order, the harvest always first."""
    dropped = set(DROP_ORDER[: max(len(journey) - count, 0)])
    return [stage for stage in journey if stage.kind not in dropped]


def _moment(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def stage_moments(
    *,
    batch: Batch,
    kinds: Sequence[str],
    now: datetime.datetime,
    after: datetime.datetime | None = None,
) -> list[datetime.datetime]:
    """When each stage happened: processing between harvest and packing, packing on the
    packing date, inspection, certification and shipping in the days after. Strictly
    increasing, later than `after` (default: the harvest's noon) and earlier than `now`."""
    minute = zlib.crc32(batch.lot_code.encode()) % 45
    between = max((batch.packing_date - batch.harvest_date).days // 2, 1)
    moments = []
    start = previous = after or _moment(batch.harvest_date, 12, 0)
    for kind in kinds:
        if kind == PR:
            moment = _moment(batch.harvest_date + datetime.timedelta(days=between), 8, minute)
        elif kind == PK:
            moment = _moment(batch.packing_date, 9, minute)
        else:
            days, hour = AFTER_PACKING[kind]
            moment = _moment(batch.packing_date + datetime.timedelta(days=days), hour, minute)
        moment = max(moment, previous + datetime.timedelta(minutes=30))
        moments.append(moment)
        previous = moment
    if moments and moments[-1] >= now:
        # A lot packed a moment ago (a gift box): its stages share the time since `after`.
        step = (now - start) / (len(moments) + 1)
        moments = [start + step * (index + 1) for index in range(len(moments))]
    return moments


def append_stages(
    *,
    batch: Batch,
    cooperative: Cooperative,
    stages: Sequence[Stage],
    group: str,
    now: datetime.datetime,
    after: datetime.datetime | None = None,
) -> int:
    """Append `stages` (none of them the harvest or an assembly) to the batch's chain, dated
    by stage_moments; returns how many. Side effects: one event and one photo file per
    stage, through traceability.events.append_event (which signs the new head)."""
    kinds = [stage.kind for stage in stages]
    moments = stage_moments(batch=batch, kinds=kinds, now=now, after=after)
    for stage, moment in zip(stages, moments, strict=True):
        events.append_event(
            batch=batch,
            kind=stage.kind,
            occurred_at=moment,
            place=f"{stage.place}, {cooperative.village.name}",
            actor=cooperative.name,
            notes_en=stage.notes_en,
            notes_vi=stage.notes_vi,
            standard=stage.standard,
            photo=stage_photo(kind=stage.kind, group=group),
        )
    return len(stages)


def harvest_details(slug: str, group: str) -> dict:
    """receive_lot's description of the harvest of a product: its notes and photo."""
    harvest = journey_for(slug)[0]
    return {
        "harvest_notes": (harvest.notes_en, harvest.notes_vi),
        "harvest_photo": stage_photo(kind=EventKind.HARVEST, group=group),
    }


def write_timeline(
    *,
    batch: Batch,
    slug: str,
    group: str,
    cooperative: Cooperative,
    now: datetime.datetime,
    transfers: int = 0,
    with_harvest: bool = False,
) -> int:
    """Give a batch of product `slug` the rest of its timeline; returns the events written.

    `transfers` is how many gift-box transfers the lot is about to make (each writes a
    shipping and a receiving event), so the whole timeline stays within MAX_STAGES.
    `with_harvest` writes the harvest too, for a lot received before receive_lot wrote one.
    """
    stages = pick(journey_for(slug), stage_count(batch.lot_code, most=MAX_STAGES - 2 * transfers))
    if with_harvest:
        details = harvest_details(slug, group)
        events.append_event(
            batch=batch,
            kind=EventKind.HARVEST,
            occurred_at=receipts.harvest_moment(batch.harvest_date, now=now),
            place=f"{batch.village.name}, {batch.village.province.name}",
            actor=cooperative.name,
            village=batch.village,
            notes_en=details["harvest_notes"][0],
            notes_vi=details["harvest_notes"][1],
            photo=details["harvest_photo"],
        )
    written = append_stages(
        batch=batch, cooperative=cooperative, stages=stages[1:], group=group, now=now
    )
    return written + int(with_harvest)


def append_gift_box_stages(
    *, batch: Batch, cooperative: Cooperative, assembled: datetime.datetime, now: datetime.datetime
) -> int:
    """Packing and shipping after a box lot's assembly (its first event, at `assembled`)."""
    return append_stages(
        batch=batch,
        cooperative=cooperative,
        stages=GIFT_BOX_STAGES,
        group="gift",
        now=now,
        after=assembled,
    )
