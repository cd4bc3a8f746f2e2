"""Demo gift sets: listed as products with one variant each, their components (which
variants go into a set), and their box lots, assembled from component lots through
shop.fulfilment.assembly like any cooperative's boxes."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from shop.demo import cooperatives as coop
from shop.demo import timelines
from shop.demo.specs import ProductSpec, VariantSpec
from shop.fulfilment import assembly, transfers
from shop.models import Batch, GiftSetComponent, Variant

GIFT_SETS: tuple[ProductSpec, ...] = (
    ProductSpec(
        slug="tet-gift-box",
        cooperative=coop.HONG_NAM.slug,
        group="food",
        is_gift_set=True,
        ocop_stars=4,
        ocop_decision_number="1986/QĐ-UBND",
        certified_days_ago=520,
        hs_code="081340",
        customs_description="Gift box: dried longan, green tea, honey, black pepper",
        net_weights=(650,),
        shelf_life_days=240,
        name_en="Tết gift box",
        name_vi="Hộp quà Tết",
        description_en=(
            "Everything for the New Year tray in one red box: Hưng Yên dried longan, Tân Cương "
            "tea, Tây Bắc honey and Phú Quốc pepper, with a card in English and Vietnamese."
        ),
        description_vi=(
            "Đủ cho mâm Tết trong một hộp đỏ: long nhãn Hưng Yên, chè Tân Cương, mật ong Tây "
            "Bắc và tiêu Phú Quốc, kèm thiệp song ngữ Anh – Việt."
        ),
        story_en="Packed by hand in Hồng Nam with products from four partner cooperatives.",
        story_vi="Đóng gói thủ công tại Hồng Nam cùng sản phẩm của bốn hợp tác xã bạn.",
        variants=(
            VariantSpec(
                "GIFT-TET",
                "Red gift box",
                "Hộp quà đỏ",
                2200,
                "1250000",
                "79.00",
                "72.50",
                3,
                received=30,
            ),
        ),
    ),
    ProductSpec(
        slug="tea-lovers-set",
        cooperative=coop.TAN_CUONG.slug,
        group="beverages",
        is_gift_set=True,
        ocop_stars=4,
        ocop_decision_number="4015/QĐ-UBND",
        certified_days_ago=180,
        hs_code="090210",
        customs_description="Gift box: green and oolong teas, dried leaves",
        net_weights=(300,),
        shelf_life_days=365,
        name_en="Tea lovers' set",
        name_vi="Bộ quà người yêu trà",
        description_en=(
            "Three teas from three mountains, Tân Cương, Shan Tuyết and Mộc Châu oolong, with "
            "two Bát Tràng crackle-glaze cups to taste them side by side."
        ),
        description_vi=(
            "Ba loại trà từ ba vùng núi, Tân Cương, Shan Tuyết và ô long Mộc Châu, kèm hai chén "
            "men rạn Bát Tràng để thưởng trà song song."
        ),
        story_en="Our tea master chose the three teas to show how much altitude changes a cup.",
        story_vi="Nghệ nhân trà của chúng tôi chọn ba loại để thấy độ cao đổi vị trà ra sao.",
        variants=(
            VariantSpec(
                "GIFT-TRA",
                "Gift box",
                "Hộp quà",
                1800,
                "990000",
                "62.00",
                "57.00",
                3,
                received=24,
            ),
        ),
    ),
    ProductSpec(
        slug="mekong-flavours",
        cooperative=coop.SOC_TRANG.slug,
        group="food",
        is_gift_set=True,
        ocop_stars=3,
        ocop_decision_number="3140/QĐ-UBND",
        certified_days_ago=300,
        hs_code="100630",
        customs_description="Gift basket: rice, dried shrimp, fish sauce, black pepper",
        net_weights=(2650,),
        shelf_life_days=240,
        name_en="Mekong flavours",
        name_vi="Hương vị miền Tây",
        description_en=(
            "A sedge basket of the delta's pantry: ST25 rice, Cà Mau dried shrimp and Phú Quốc "
            "fish sauce and pepper."
        ),
        description_vi=(
            "Một giỏ cói gói trọn gian bếp miền Tây: gạo ST25, tôm khô Cà Mau, nước mắm và tiêu "
            "Phú Quốc."
        ),
        story_en="Put together by the rice cooperative for members' families abroad.",
        story_vi="Hợp tác xã lúa gạo làm bộ quà này cho gia đình các thành viên ở xa quê.",
        variants=(
            VariantSpec(
                "GIFT-MEKONG",
                "Gift basket",
                "Giỏ quà",
                3500,
                "750000",
                "49.00",
                "45.00",
                3,
                received=24,
            ),
        ),
    ),
)


# What goes into each demo gift set: gift-set SKU -> (component SKU, units per set).
GIFT_SET_COMPONENTS: dict[str, tuple[tuple[str, int], ...]] = {
    "GIFT-TET": (("HY-LN-200", 1), ("TC-CHE-100", 1), ("MC-MO-250", 1), ("PQ-TIEU-100", 1)),
    "GIFT-TRA": (("TC-CHE-100", 1), ("HG-TX-100", 1), ("MC-OL-100", 1)),
    # Mekong flavours takes the larger pepper, so no pepper lot goes to two partners' boxes and
    # every component lot's timeline (its own stages plus each transfer's two) stays within six.
    "GIFT-MEKONG": (("ST25-2KG", 1), ("CM-TOM-100", 1), ("PQ-NM40-250", 1), ("PQ-TIEU-250", 1)),
}


def load_gift_set_components() -> int:
    """Give each demo gift set its components (run after the catalogue is loaded).

    Idempotent: a component row is matched by gift set and component and its quantity
    brought back to the data; components no longer listed are removed. Returns how many
    component rows the demo gift sets have.
    """
    skus = set(GIFT_SET_COMPONENTS) | {
        sku for parts in GIFT_SET_COMPONENTS.values() for sku, _units in parts
    }
    variants = {v.sku: v for v in Variant.objects.filter(sku__in=skus)}
    count = 0
    with transaction.atomic():
        for set_sku, parts in GIFT_SET_COMPONENTS.items():
            gift_set = variants.get(set_sku)
            if gift_set is None:
                continue
            wanted = {variants[sku].pk: units for sku, units in parts if sku in variants}
            GiftSetComponent.objects.filter(gift_set=gift_set).exclude(
                component_id__in=wanted
            ).delete()
            for component_id, units in wanted.items():
                GiftSetComponent.objects.update_or_create(
                    gift_set=gift_set, component_id=component_id, defaults={"quantity": units}
                )
            count += len(wanted)
    return count


# A component lot keeps at least this many free units after a demo run, so no lot of the
# demo's stock states (nearly sold out, sold out) changes because boxes were made from it.
KEEP_FREE = 4


@dataclass(frozen=True)
class BoxRun:
    """One demo box lot to assemble: how many boxes, and units taken from each component
    lot ({batch id: units})."""

    gift_set: Variant
    lot_code: str
    boxes: int
    lots: dict[int, int]


def plan_gift_boxes() -> list[BoxRun]:
    """The runs for each demo gift set's box lots that do not exist yet.

    One run per planned batch of the set (lot codes <SKU>-01, <SKU>-02, so a later load
    finds them), a third of the planned quantity in boxes. The first run takes the earliest
    component lots that can spare the units, the second the latest, so the box lots carry
    different dates. Units planned for a run count as taken for the next. Writes nothing.
    Run after load_gift_set_components.
    """
    runs = []
    taken: Counter[int] = Counter()
    for spec in GIFT_SETS:
        for variant_spec in spec.variants:
            gift_set = (
                Variant.objects.select_related("product").filter(sku=variant_spec.sku).first()
            )
            if gift_set is None:
                continue
            boxes = max(variant_spec.received // 3, 1)
            for index in range(variant_spec.batches):
                lot_code = f"{variant_spec.sku}-{index + 1:02d}"
                if Batch.objects.filter(variant=gift_set, lot_code=lot_code).exists():
                    continue
                lots = _choose_lots(gift_set, boxes, latest=index % 2 == 1, taken=taken)
                if lots is None:
                    continue
                taken.update(lots)
                runs.append(BoxRun(gift_set, lot_code, boxes, lots))
    return runs


def transfers_by_lot(runs: list[BoxRun]) -> Counter[int]:
    """How many transfers each component lot will make for `runs`: one per run that takes
    it for a gift set of another cooperative (shop.fulfilment.assembly)."""
    owners = dict(
        Batch.objects.filter(pk__in={pk for run in runs for pk in run.lots}).values_list(
            "pk", "variant__product__cooperative_id"
        )
    )
    return Counter(
        pk for run in runs for pk in run.lots if owners[pk] != run.gift_set.product.cooperative_id
    )


def assemble_gift_boxes(runs: list[BoxRun], *, now: datetime.datetime) -> int:
    """Assemble the planned runs; returns how many box lots were made.

    Each run is assembled six hours before `now`; transfers from the partner cooperatives
    are marked sent and received (by the system) in the hours after, so the boxes are on
    sale; then the box lot is packed and shipped (shop.demo.timelines). Side effects: those
    of shop.fulfilment.assembly.assemble and transfers, and two more events per box lot.
    """
    assembled = now - datetime.timedelta(hours=6)
    for run in runs:
        made = assembly.assemble(
            gift_set=run.gift_set,
            boxes=run.boxes,
            actor=None,
            lots=run.lots,
            lot_code=run.lot_code,
            now=assembled,
        )
        received = assembled + datetime.timedelta(hours=2)
        for transfer in made.transfers.order_by("pk"):
            sent = assembled + datetime.timedelta(minutes=30)
            transfers.mark_sent(transfer_id=transfer.pk, actor=None, now=sent)
            transfers.mark_received(transfer_id=transfer.pk, actor=None, now=received)
        timelines.append_gift_box_stages(
            batch=made.box_batch, cooperative=made.assembler, assembled=received, now=now
        )
    return len(runs)


def _choose_lots(
    gift_set: Variant, boxes: int, *, latest: bool, taken: Counter[int]
) -> dict[int, int] | None:
    lots = {}
    for component_id, per_box in assembly.recipe(gift_set=gift_set):
        units = per_box * boxes
        candidates = [
            batch
            for batch in Batch.objects.on_sale()
            .filter(variant_id=component_id)
            .with_available()
            .fefo()
            if batch.available - taken[batch.pk] >= units + KEEP_FREE
        ]
        if not candidates:
            return None
        lots[(candidates[-1] if latest else candidates[0]).pk] = units
    return lots
