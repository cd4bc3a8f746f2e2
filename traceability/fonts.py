"""The fonts printed on QR images and label sheets: Noto Sans, shipped with the project.

System fonts differ from machine to machine and reportlab's own (Bitstream Vera) lacks
Vietnamese letters such as ư, ợ and ắ, so a Latin + Vietnamese subset of Noto Sans lives in
traceability/static/traceability/fonts/ (SIL OFL 1.1, see OFL.txt and README.md there).
"""

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "static" / "traceability" / "fonts"
REGULAR_PATH = FONT_DIR / "NotoSans-Regular-Latin-Vietnamese.ttf"
BOLD_PATH = FONT_DIR / "NotoSans-Bold-Latin-Vietnamese.ttf"
REGULAR = "OCOPNotoSans"
BOLD = "OCOPNotoSans-Bold"


@functools.cache
def register_pdf_fonts() -> tuple[str, str]:
    """Register both faces with reportlab once per process; returns (regular, bold) names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(REGULAR_PATH)))
    pdfmetrics.registerFont(TTFont(BOLD, str(BOLD_PATH)))
    return REGULAR, BOLD
