"""GS1 identifiers: GTIN and GLN check digits and lot codes (AI 10).

Pure functions with no Django imports, shared by the catalogue models and the
Digital Link resolver.
"""

import re

# GS1 General Specifications, figure 7.11-1: character set 82.
_CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")
LOT_MAX_LENGTH = 20
GTIN_LENGTHS = (8, 12, 13, 14)


class InvalidGTIN(ValueError):
    """The text is not a GTIN-8, -12, -13 or -14 with a correct check digit."""


class InvalidGLN(ValueError):
    """The text is not a 13-digit GLN with a correct check digit."""


class InvalidLot(ValueError):
    """The text is not a lot code of 1 to 20 characters of GS1 character set 82."""


def check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_gtin(text: str) -> str:
    """Return the GTIN as 14 digits, or raise InvalidGTIN.

    GTIN-8, -12 and -13 are left-padded with zeros, as GS1 Digital Link requires.
    """
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) not in GTIN_LENGTHS:
        raise InvalidGTIN(f"A GTIN has 8, 12, 13 or 14 digits, not {value!r}.")
    if check_digit(value[:-1]) != int(value[-1]):
        raise InvalidGTIN(f"The check digit of {value} is wrong.")
    return value.zfill(14)


def normalise_gln(text: str) -> str:
    """Return the GLN (AI 414, a GS1 location identifier) as 13 digits, or raise InvalidGLN."""
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) != 13:
        raise InvalidGLN(f"A GLN has 13 digits, not {value!r}.")
    if check_digit(value[:-1]) != int(value[-1]):
        raise InvalidGLN(f"The check digit of {value} is wrong.")
    return value


def validate_lot(text: str) -> str:
    """Return the lot code unchanged if GS1 AI 10 accepts it, else raise InvalidLot."""
    if not text or len(text) > LOT_MAX_LENGTH or not _CSET82.match(text):
        raise InvalidLot(
            f"A lot code has 1 to {LOT_MAX_LENGTH} characters of GS1 character set 82."
        )
    return text
