"""Draw traceability/static/traceability/vietnam.svg from Natural Earth country outlines.

Run once, commit the SVG; the page never fetches map data. The source is the TopoJSON of
Natural Earth's admin-0 countries (public domain) as packaged by the npm module world-atlas:

    npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    .venv/bin/python manage.py build_vietnam_map --source package/countries-10m.json

Vietnam is drawn in green, the neighbours in grey, and the islands of Hoàng Sa and Trường Sa
as dots (sub-pixel polygons at this scale). Natural Earth files the Paracels under China's
multipolygon; its islands south of Hainan are drawn here as the Hoàng Sa archipelago.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traceability import vietnam_map as vm

OUTPUT = Path(__file__).resolve().parents[2] / "static" / "traceability" / "vietnam.svg"
VIETNAM, CHINA = 704, 156
SPRATLY_NAME = "Spratly Is."
HAINAN_SOUTH_TIP = 18.0
TOLERANCE = 0.8  # user units; about 2 km
MIN_AREA = 2.0  # square user units: smaller islets vanish at phone size anyway
MARGIN = 4.0

Point = tuple[float, float]


def decode_arcs(topology: dict) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict, arcs: list[list[Point]]) -> list[list[list[Point]]]:
    """Each polygon as a list of rings of (longitude, latitude)."""
    if geometry["type"] == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        return []
    return [[ring(arcs, r) for r in polygon] for polygon in parts]


def clip(points: list[Point], lo: Point, hi: Point) -> list[Point]:
    """Sutherland–Hodgman against a rectangle, in projected units."""

    def cut(points, inside, cross):
        out = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        return out

    def at_x(x):
        return lambda p, q: (x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0]))

    def at_y(y):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y)

    for inside, cross in (
        (lambda p: p[0] >= lo[0], at_x(lo[0])),
        (lambda p: p[0] <= hi[0], at_x(hi[0])),
        (lambda p: p[1] >= lo[1], at_y(lo[1])),
        (lambda p: p[1] <= hi[1], at_y(hi[1])),
    ):
        if not points:
            break
        points = cut(points, inside, cross)
    return points


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, iterative so long coastlines do not hit the recursion limit."""
    if len(points) < 4:
        return points
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        worst, worst_index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                distance = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if distance > worst:
                worst, worst_index = distance, i
        if worst_index is not None and worst > tolerance:
            keep.add(worst_index)
            stack += [(first, worst_index), (worst_index, last)]
    return [points[i] for i in sorted(keep)]


def area(points: list[Point]) -> float:
    pairs = zip(points, points[1:] + points[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def path_data(rings: list[list[Point]]) -> str:
    parts = []
    for points in rings:
        if len(points) >= 3 and area(points) >= MIN_AREA:
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def centroid(points: list[Point]) -> Point:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


class Command(BaseCommand):
    help = "Draw the offline map of Vietnam from a Natural Earth TopoJSON (world-atlas)."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="countries-10m.json or -50m.json")
        parser.add_argument("--output", default=str(OUTPUT))

    def handle(self, *args, source: str, output: str, **options):
        try:
            topology = json.loads(Path(source).read_text())
            geometries = topology["objects"]["countries"]["geometries"]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{source} is not a world-atlas countries TopoJSON: {exc}") from exc
        arcs = decode_arcs(topology)
        lo, hi = (-MARGIN, -MARGIN), (vm.WIDTH + MARGIN, vm.HEIGHT + MARGIN)
        vietnam, neighbours, islands = [], [], []
        for geometry in geometries:
            code = int(geometry["id"]) if str(geometry.get("id", "")).isdigit() else None
            name = geometry.get("properties", {}).get("name", "")
            for polygon in polygons(geometry, arcs):
                outer = polygon[0]
                lons, lats = [p[0] for p in outer], [p[1] for p in outer]
                if max(lons) < vm.WEST or min(lons) > vm.EAST:
                    continue
                if max(lats) < vm.SOUTH or min(lats) > vm.NORTH:
                    continue
                if name == SPRATLY_NAME or (code == CHINA and max(lats) < HAINAN_SOUTH_TIP):
                    islands.append(centroid(outer))
                    continue
                projected = []
                for points in polygon:
                    flat = clip([vm.project(lat, lon) for lon, lat in points], lo, hi)
                    projected.append(simplify(flat, TOLERANCE))
                (vietnam if code == VIETNAM else neighbours).append(projected)
        if not vietnam:
            raise CommandError(f"{source} has no outline for Vietnam (id {VIETNAM}).")
        dots = "".join(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8"/>'
            for x, y in (vm.project(lat, lon) for lon, lat in islands)
        )
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {vm.WIDTH} {vm.HEIGHT}" '
            f'width="{vm.WIDTH}" height="{vm.HEIGHT}">\n'
            "<!-- Drawn by manage.py build_vietnam_map from Natural Earth admin-0 outlines "
            "(public domain). Projection: traceability/vietnam_map.py. -->\n"
            f'<rect width="{vm.WIDTH}" height="{vm.HEIGHT}" fill="#e9f2f5"/>\n'
            '<path fill="#efede7" stroke="#cdc9bd" stroke-width=".7" stroke-linejoin="round" '
            f'd="{path_data([r for p in neighbours for r in p])}"/>\n'
            '<path fill="#d3e6d8" stroke="#1d5c3f" stroke-width="1" stroke-linejoin="round" '
            f'fill-rule="evenodd" d="{path_data([r for p in vietnam for r in p])}"/>\n'
            f'<g fill="#1d5c3f">{dots}</g>\n'
            "</svg>\n"
        )
        Path(output).write_text(svg)
        self.stdout.write(f"Wrote {output}: {len(svg)} bytes, {len(islands)} island dots.")
