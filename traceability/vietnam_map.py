"""The offline map of Vietnam on the trace page: one projection for the outline and the pins.

traceability/static/traceability/vietnam.svg is drawn once from Natural Earth outlines by
`manage.py build_vietnam_map`; the page pins a village on it by projecting its latitude and
longitude with the same function, as percentages of the picture, so no tile server or script
is ever needed.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

# The frame shows the mainland and, as Vietnamese maps must, the Hoàng Sa (Paracel) and
# Trường Sa (Spratly) archipelagos in the East Sea.
WEST, EAST = 101.8, 117.4
SOUTH, NORTH = 7.2, 23.6
# An equirectangular projection true to scale at the latitude of Huế: at these latitudes it
# differs from Mercator by under 3 %, and it keeps the maths one line long.
STANDARD_PARALLEL = 16.0
PIXELS_PER_DEGREE = 40.0
_X_SCALE = PIXELS_PER_DEGREE * math.cos(math.radians(STANDARD_PARALLEL))

WIDTH = round((EAST - WEST) * _X_SCALE, 1)
HEIGHT = round((NORTH - SOUTH) * PIXELS_PER_DEGREE, 1)


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """(x, y) in the SVG's user units; y grows southwards."""
    return (longitude - WEST) * _X_SCALE, (NORTH - latitude) * PIXELS_PER_DEGREE


@dataclass(frozen=True)
class Pin:
    """Where a point sits on the picture, in percent of its width and height."""

    left: float
    top: float

    @property
    def style(self) -> str:
        return f"left:{self.left:.2f}%;top:{self.top:.2f}%"


def pin(latitude: float | Decimal, longitude: float | Decimal) -> Pin | None:
    """The pin for a point, or None when it falls outside the map."""
    x, y = project(float(latitude), float(longitude))
    if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
        return None
    return Pin(left=round(100 * x / WIDTH, 2), top=round(100 * y / HEIGHT, 2))


# Places named on the map for orientation (the names are translated in the template).
LANDMARKS = {
    "hanoi": (21.0285, 105.8542),
    "hcmc": (10.7769, 106.7009),
    "hoang_sa": (16.5, 112.0),
    "truong_sa": (10.0, 114.4),
}
# A landmark this close to a pin (in percent of the map) would sit under it: leave it out.
LANDMARK_CLEARANCE = 6.0


def landmarks(*, avoid: list) -> dict[str, Pin]:
    """The landmarks to draw, by name, leaving out any that a pin in `avoid` would cover."""
    shown = {}
    for name, (latitude, longitude) in LANDMARKS.items():
        where = pin(latitude, longitude)
        if where and all(
            abs(where.left - other.left) > LANDMARK_CLEARANCE
            or abs(where.top - other.top) > LANDMARK_CLEARANCE
            for other in avoid
        ):
            shown[name] = where
    return shown
