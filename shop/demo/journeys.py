"""The shape of a demo product's journey between the field and the parcel.

A journey is six stages in order: harvest (or gathering the raw material, in the village),
processing, packing, inspection, certification and shipping, each with a place, notes in
English and Vietnamese and, for inspection and certification, the standard applied.
journeys_food.py and journeys_crafts.py write them; timelines.py picks three to six of them
for each batch and dates them.
"""

from dataclasses import dataclass

from traceability.models import EventKind

H, PR, PK, IN, CE, SH = (
    EventKind.HARVEST,
    EventKind.PROCESSING,
    EventKind.PACKING,
    EventKind.INSPECTION,
    EventKind.CERTIFICATION,
    EventKind.SHIPPING,
)


@dataclass(frozen=True)
class Stage:
    kind: str
    place: str
    notes_en: str
    notes_vi: str
    standard: str = ""


SHIP = Stage(
    SH,
    "Kho hợp tác xã",
    "First cartons handed to the carrier at the cooperative for the shop's orders.",
    "Những thùng hàng đầu tiên giao cho đơn vị vận chuyển tại hợp tác xã cho các đơn hàng.",
)


def journey(*stages: Stage) -> tuple[Stage, ...]:
    return (*stages, SHIP)


# Gift boxes: after the assembly (written by shop.fulfilment.assembly), packing and shipping.
GIFT_BOX_STAGES = (
    Stage(
        PK,
        "Xưởng đóng hộp quà",
        "Boxes closed, ribbon-tied, with the bilingual card inside.",
        "Đóng nắp, buộc ruy băng và kèm thiệp song ngữ.",
    ),
    SHIP,
)
