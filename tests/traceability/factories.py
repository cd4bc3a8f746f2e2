"""Trace events are appended through traceability.events, so every chain in a test is real."""

import datetime

from django.utils import timezone

from shop.fulfilment import assembly
from tests.factories import BatchFactory, GiftSetComponentFactory, VariantFactory
from traceability import events
from traceability.models import EventKind

STAGES = [
    (
        EventKind.HARVEST,
        "Cánh đồng thôn 1",
        "Nguyễn Văn An",
        "Hand-picked at dawn.",
        "Thu hái lúc bình minh.",
    ),
    (
        EventKind.PROCESSING,
        "Xưởng ủ chượp",
        "Hợp tác xã",
        "Aged in wooden barrels.",
        "Ủ trong thùng gỗ.",
    ),
    (EventKind.INSPECTION, "Phòng thí nghiệm tỉnh", "Trung tâm Kiểm nghiệm", "", ""),
    (
        EventKind.PACKING,
        "Xưởng đóng chai",
        "Hợp tác xã",
        "Bottled and sealed.",
        "Đóng chai và niêm phong.",
    ),
    (EventKind.SHIPPING, "Cảng Hải Phòng", "Vận tải Sao Mai", "", ""),
]


def add_events(batch, count: int, *, start: datetime.datetime | None = None):
    """Append `count` events to the batch's chain, a day apart, cycling through the stages."""
    start = start or timezone.now() - datetime.timedelta(days=count + 1)
    appended = []
    for index in range(count):
        kind, place, actor, notes_en, notes_vi = STAGES[index % len(STAGES)]
        appended.append(
            events.append_event(
                batch=batch,
                kind=kind,
                occurred_at=start + datetime.timedelta(days=index),
                place=place,
                actor=actor,
                village=batch.village if kind == EventKind.HARVEST else None,
                notes_en=notes_en,
                notes_vi=notes_vi,
                standard="VietGAP" if kind == EventKind.INSPECTION else "",
            )
        )
    return appended


def gift_set_with_components(count: int, *, events_each: int = 1):
    """A box lot of a gift set assembled (shop.fulfilment.assembly) from `count` component
    lots of the set's own cooperative, each with a history and a village of its own."""
    gift_variant = VariantFactory(product__is_gift_set=True)
    cooperative = gift_variant.product.cooperative
    components = []
    for _ in range(count):
        component = GiftSetComponentFactory(
            gift_set=gift_variant, component__product__cooperative=cooperative
        ).component
        batch = BatchFactory(variant=component)
        add_events(batch, events_each)
        components.append(batch)
    run = assembly.assemble(
        gift_set=gift_variant,
        boxes=2,
        actor=None,
        now=timezone.now() - datetime.timedelta(hours=2),
    )
    return run.box_batch, components
