"""Pictures for the demo's trace events, drawn with Pillow: one per stage and product group.

A picture is a scene in the stage's colours (sky, ground), a simple white drawing of the
stage (a sun over rows of crops, a workshop pot, a box, a magnifier, a truck, a ribbon-tied
gift box) and the stage's name in English and Vietnamese. Drawing is deterministic, so the
same stage of the same group is the same JPEG on every load; traceability.events re-encodes
and hashes it like any photo a cooperative uploads. JPEG rather than PNG: re-encoding a
PNG with optimize took four fifths of a demo load.
"""

import functools
import io
import zlib

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from traceability.fonts import BOLD_PATH
from traceability.models import EventKind

WIDTH, HEIGHT = 480, 320
HORIZON = 220

# (sky, ground) per stage: dawn fields, warm workshop, clean packing room, lab white, road.
SCENES = {
    EventKind.HARVEST: ("#f6c77a", "#5f8f3e"),
    EventKind.PROCESSING: ("#d9905b", "#7a4b2a"),
    EventKind.PACKING: ("#a9c6de", "#8a7a62"),
    EventKind.INSPECTION: ("#dfe8ea", "#6f8a94"),
    EventKind.CERTIFICATION: ("#e8e0b8", "#8d7d3a"),
    EventKind.SHIPPING: ("#8fc3e8", "#55606a"),
    EventKind.TRANSFORMATION: ("#e6a3a3", "#8c2f2f"),
}
NAMES_VI = {
    EventKind.HARVEST: "Thu hoạch",
    EventKind.PROCESSING: "Chế biến",
    EventKind.PACKING: "Đóng gói",
    EventKind.INSPECTION: "Kiểm tra",
    EventKind.CERTIFICATION: "Chứng nhận",
    EventKind.SHIPPING: "Vận chuyển",
    EventKind.TRANSFORMATION: "Đóng hộp quà",
}
NAMES_EN = {
    EventKind.HARVEST: "Harvest",
    EventKind.PROCESSING: "Processing",
    EventKind.PACKING: "Packing",
    EventKind.INSPECTION: "Inspection",
    EventKind.CERTIFICATION: "Certification",
    EventKind.SHIPPING: "Shipping",
    EventKind.TRANSFORMATION: "Gift set assembly",
}
WHITE = "#ffffff"


def _harvest(draw: ImageDraw.ImageDraw, tint: str) -> None:
    draw.ellipse((330, 40, 410, 120), fill="#fff3c4")
    for row in range(4):
        y = HORIZON + 18 + row * 24
        for x in range(30 + row * 8, WIDTH - 20, 46):
            draw.polygon([(x, y), (x + 10, y - 22), (x + 20, y)], fill=tint)


def _processing(draw: ImageDraw.ImageDraw, tint: str) -> None:
    draw.rectangle((300, 120, 420, HORIZON), fill=WHITE)
    draw.ellipse((300, 100, 420, 140), fill=tint, outline=WHITE, width=6)
    for x in (330, 360, 390):
        draw.arc((x - 12, 40, x + 12, 100), start=90, end=270, fill=WHITE, width=5)


def _packing(draw: ImageDraw.ImageDraw, tint: str) -> None:
    draw.polygon([(290, 110), (370, 80), (440, 110), (360, 140)], fill=WHITE)
    draw.polygon([(290, 110), (360, 140), (360, 230), (290, 200)], fill="#eeeeee")
    draw.polygon([(360, 140), (440, 110), (440, 200), (360, 230)], fill=tint)
    draw.line((325, 95, 400, 125), fill=tint, width=8)


def _inspection(draw: ImageDraw.ImageDraw, tint: str) -> None:
    draw.ellipse((300, 50, 400, 150), outline=WHITE, width=14)
    draw.line((388, 138, 440, 195), fill=WHITE, width=18)
    draw.line((325, 100, 345, 122, 378, 80), fill=tint, width=10)


def _shipping(draw: ImageDraw.ImageDraw, tint: str) -> None:
    draw.rectangle((270, 110, 390, 190), fill=WHITE)
    draw.polygon([(390, 130), (430, 130), (455, 160), (455, 190), (390, 190)], fill="#eeeeee")
    draw.rectangle((400, 138, 428, 158), fill=tint)
    for x in (300, 420):
        draw.ellipse((x - 17, 175, x + 17, 209), fill="#333333", outline=WHITE, width=4)


def _assembly(draw: ImageDraw.ImageDraw, tint: str) -> None:
    draw.rectangle((300, 100, 430, 200), fill=WHITE)
    draw.rectangle((290, 85, 440, 110), fill="#f3f3f3")
    draw.rectangle((357, 85, 373, 200), fill=tint)
    draw.ellipse((330, 55, 365, 90), outline=tint, width=8)
    draw.ellipse((365, 55, 400, 90), outline=tint, width=8)


DRAWINGS = {
    EventKind.HARVEST: _harvest,
    EventKind.PROCESSING: _processing,
    EventKind.PACKING: _packing,
    EventKind.INSPECTION: _inspection,
    EventKind.CERTIFICATION: _inspection,
    EventKind.SHIPPING: _shipping,
    EventKind.TRANSFORMATION: _assembly,
}


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD_PATH), size)


@functools.cache
def stage_jpeg(*, kind: str, group: str) -> bytes:
    """The JPEG for stage `kind` of a product of `group` (a ProductGroup value), as bytes.

    The group shifts the drawing's tint a little, so a tea's harvest and a silk's do not look
    identical side by side.
    """
    sky, ground = SCENES[kind]
    image = Image.new("RGB", (WIDTH, HEIGHT), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HORIZON, WIDTH, HEIGHT), fill=ground)
    seed = zlib.crc32(group.encode())
    tint = f"#{(seed & 0x7F) + 0x50:02x}{(seed >> 8 & 0x7F) + 0x40:02x}{(seed >> 16 & 0x5F):02x}"
    DRAWINGS[kind](draw, tint)
    draw.rounded_rectangle((18, 18, 270, 96), radius=14, fill="#3a3a3a")
    draw.text((32, 26), NAMES_EN[kind], font=_font(30), fill=WHITE)
    draw.text((32, 62), NAMES_VI[kind], font=_font(22), fill=WHITE)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def stage_photo(*, kind: str, group: str) -> ContentFile:
    """A fresh file object of stage_jpeg's picture, for events.append_event(photo=...)."""
    return ContentFile(stage_jpeg(kind=kind, group=group), name=f"{kind}.jpg")
