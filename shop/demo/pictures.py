"""SVG labels for demo products and cooperatives, and storing them in the media storage.

A label is a coloured card: the name's initial in a sun disc, a motif for the product group,
hills, the OCOP stars and the name in Vietnamese and English. Colours come from a CRC of the
slug, so a picture never changes between loads and no two neighbours look alike.
"""

import colorsys
import math
import zlib
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

WIDTH, HEIGHT = 480, 360

# Motifs drawn in the card's upper right, one per OCOP product group, in white.
MOTIFS = {
    # A steaming bowl.
    "food": (
        '<path d="M300 120 h120 a60 60 0 0 1 -120 0 z"/>'
        '<rect x="335" y="178" width="50" height="8" rx="4"/>'
        '<path d="M330 105 q-10 -15 0 -30 q10 -15 0 -30 M360 105 q-10 -15 0 -30 q10 -15 0 -30 '
        'M390 105 q-10 -15 0 -30 q10 -15 0 -30" fill="none" stroke="#fff" stroke-width="5" '
        'stroke-linecap="round"/>'
    ),
    # A cup with a tea leaf above it.
    "beverages": (
        '<path d="M310 110 h90 v40 a45 45 0 0 1 -90 0 z"/>'
        '<path d="M400 120 a18 18 0 0 1 0 36" fill="none" stroke="#fff" stroke-width="7"/>'
        '<path d="M335 95 q20 -70 75 -60 q-10 65 -75 60 z"/>'
        '<path d="M337 93 l60 -50" stroke-opacity="0.5" stroke="#000" stroke-width="2"/>'
    ),
    # A sprig with paired leaves.
    "herbs": (
        '<path d="M360 195 q5 -90 -5 -160" fill="none" stroke="#fff" stroke-width="6" '
        'stroke-linecap="round"/>'
        '<ellipse cx="335" cy="150" rx="26" ry="10" transform="rotate(-30 335 150)"/>'
        '<ellipse cx="388" cy="140" rx="26" ry="10" transform="rotate(30 388 140)"/>'
        '<ellipse cx="332" cy="105" rx="24" ry="9" transform="rotate(-30 332 105)"/>'
        '<ellipse cx="384" cy="95" rx="24" ry="9" transform="rotate(30 384 95)"/>'
        '<ellipse cx="356" cy="40" rx="10" ry="20"/>'
    ),
    # A brocade band of diamonds.
    "textiles": (
        '<rect x="300" y="60" width="130" height="110" rx="8" fill-opacity="0.25"/>'
        '<path d="M320 115 l20 -30 l20 30 l-20 30 z M365 115 l20 -30 l20 30 l-20 30 z"/>'
        '<path d="M300 75 h130 M300 155 h130" stroke="#fff" stroke-width="4" '
        'stroke-dasharray="8 6"/>'
    ),
    # A vase.
    "handicrafts": (
        '<path d="M345 40 h40 v14 q-4 8 -2 16 q42 30 30 80 q-8 34 -48 40 q-40 -6 -48 -40 '
        'q-12 -50 30 -80 q2 -8 -2 -16 z"/>'
        '<path d="M320 130 q45 18 90 0" fill="none" stroke="#000" stroke-opacity="0.35" '
        'stroke-width="4"/>'
    ),
    # A stilt house for cooperatives.
    "cooperative": (
        '<path d="M300 105 l65 -55 l65 55 z"/>'
        '<rect x="315" y="105" width="100" height="55"/>'
        '<rect x="350" y="122" width="28" height="38" fill="#000" fill-opacity="0.3"/>'
        '<path d="M320 160 v30 M360 160 v30 M405 160 v30" stroke="#fff" stroke-width="6"/>'
    ),
}


def _colour(hue: float, saturation: float, lightness: float) -> str:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def _star(cx: float, cy: float, radius: float) -> str:
    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.45
        angle = math.pi / 2 + index * math.pi / 5
        points.append(f"{cx + r * math.cos(angle):.1f},{cy - r * math.sin(angle):.1f}")
    return f'<polygon points="{" ".join(points)}"/>'


def label_svg(
    *, slug: str, motif: str, title: str, subtitle: str, stars: int = 0, initial: str = ""
) -> bytes:
    """The SVG card for one product or cooperative, as UTF-8 bytes.

    The disc shows `initial`, or the title's first letter.
    """
    seed = zlib.crc32(slug.encode())
    hue = (seed % 360) / 360
    light, deep = _colour(hue, 0.55, 0.62), _colour(hue + 0.08, 0.6, 0.3)
    hill, hill_far = _colour(hue + 0.25, 0.45, 0.35), _colour(hue + 0.2, 0.35, 0.5)
    initial = escape((initial or title.strip() or "?")[0].upper())
    star_row = "".join(_star(40 + 30 * index, 262, 11) for index in range(stars))
    # Shrink long names to fit the card (bold sans-serif averages ~0.58 em a character).
    title_size = min(26, int((WIDTH - 48) / (0.58 * max(len(title), 1))))
    quoted_title = escape(title, {'"': "&quot;"})
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{quoted_title}">'
        f'<defs><linearGradient id="sky" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{light}"/><stop offset="1" stop-color="{deep}"/>'
        "</linearGradient></defs>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="24" fill="url(#sky)"/>'
        f'<path d="M0 230 q120 -60 240 -10 t240 -20 v160 h-480 z" fill="{hill_far}"/>'
        f'<path d="M0 260 q140 -40 260 0 t220 -10 v110 h-480 z" fill="{hill}"/>'
        '<circle cx="110" cy="120" r="72" fill="#fff" fill-opacity="0.9"/>'
        f'<text x="110" y="148" text-anchor="middle" font-family="Georgia, serif" '
        f'font-size="84" font-weight="bold" fill="{deep}">{initial}</text>'
        f'<g fill="#fff" fill-opacity="0.92">{MOTIFS[motif]}</g>'
        f'<g fill="#ffd54a" stroke="#7a5200" stroke-width="1">{star_row}</g>'
        '<g font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, sans-serif" fill="#fff">'
        f'<text x="24" y="312" font-size="{title_size}" font-weight="bold">{quoted_title}</text>'
        f'<text x="24" y="340" font-size="16" fill-opacity="0.85">{escape(subtitle)}</text>'
        "</g></svg>\n"
    ).encode()


def store(*, name: str, content: bytes) -> str:
    """Write `content` at exactly `name` in the default storage unless it is already there.

    Returns the stored name for a FileField. Rewrites a file whose bytes differ (an older
    drawing) instead of letting the storage pick a new suffixed name, so loading twice
    leaves one file per picture.
    """
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if existing.read() == content:
                return name
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))
