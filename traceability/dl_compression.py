"""Decompressing GS1 Digital Links: the compressed URI form of GS1 Digital Link 1.2.

A compressed Digital Link carries its element strings as one path segment of URI-safe
base64 (`https://example.com/AQnYUc1gmiCNV4JGLo3DY`), or keeps the primary key readable and
compresses the rest (`/01/05412345000013/EEarwSMXRuGw`). The bits are read as GS1's
reference implementation (GS1DigitalLinkCompressionPrototype) writes them:

- each element starts with its AI as hexadecimal digits, 4 bits each; the first two digits
  say how long the AI is (table P); a pair with a hexadecimal letter is a shortcut for a
  fixed sequence of AIs (table Opt, read in sorted order, as the reference code sorts it);
  a pair starting with F is a non-GS1 key=value pair;
- a value is read component by component (table F): a fixed-length number as a binary
  integer of ceil(digits × log2 10) bits, a variable-length one with a length prefix first;
  alphanumeric components start with a 3-bit encoding (0 digits, 1 lower-case hex,
  2 upper-case hex, 3 URI-safe base64, 4 seven-bit ASCII) and, if variable, a length.

Table F is built from biip's GS1 AI formats, merged the way GS1's table merges them
(adjacent fixed numbers as one number, adjacent alphanumerics as one, an optional fixed
part as a variable one), so AIs newer than the reference table (235, 7040, ...) decode too.
Pure functions; decompress() raises BadCompression for bits that do not decode.
"""

import math
import re
from functools import cache

from biip.gs1_application_identifiers import _GS1_APPLICATION_IDENTIFIERS

SAFE_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_HEX = "0123456789ABCDEF"
COMPRESSED_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")

# GS1 Digital Link 1.2 compression, table Opt (sequences sorted, as the reference code does).
TABLE_OPT = {
    code: tuple(sorted(sequence))
    for code, sequence in {
        "0A": ("01", "22"), "0B": ("01", "10"), "0C": ("01", "21"), "0D": ("01", "17"),
        "0E": ("01", "7003"), "0F": ("01", "30"), "1A": ("01", "10", "21", "17"),
        "1B": ("01", "15"), "1C": ("01", "11"), "1D": ("01", "16"), "1E": ("01", "91"),
        "1F": ("01", "10", "15"), "2A": ("01", "3100"), "2B": ("01", "3101"),
        "2C": ("01", "3102"), "2D": ("01", "3103"), "2E": ("01", "3104"),
        "2F": ("01", "3105"), "3A": ("01", "3200"), "3B": ("01", "3201"),
        "3C": ("01", "3202"), "3D": ("01", "3203"), "3E": ("01", "3204"),
        "3F": ("01", "3205"), "9A": ("8010", "8011"), "9B": ("8017", "8019"),
        "9C": ("8018", "8019"), "9D": ("414", "254"),
        **{f"A{i}": ("01", f"392{i}") for i in range(10)},
        **{f"C{i}": ("255", f"390{i}") for i in range(10)},
        "CA": ("255", "3940"), "CB": ("255", "3941"), "CC": ("255", "3942"),
        "CD": ("255", "3943"),
    }.items()
}  # fmt: skip


class BadCompression(ValueError):
    """The segment is not a compressed GS1 Digital Link (or is truncated or corrupt)."""


def value_bits(digits: int) -> int:
    """Bits for a number of `digits` decimal digits (the reference's +0.01 keeps 10^n safe)."""
    return math.ceil(digits * math.log2(10) + 0.01)


def length_bits(max_length: int) -> int:
    return math.ceil(math.log2(max_length) + 0.01)


@cache
def table_p() -> dict[str, int]:
    """The length of every AI, by its first two digits."""
    lengths: dict[str, int] = {}
    for ai in _GS1_APPLICATION_IDENTIFIERS:
        lengths.setdefault(ai[:2], len(ai))
    return lengths


_COMPONENT = re.compile(r"^\[?\+?([NXYZ])(\d+)?(?:\.\.(\d+))?\]?$")


@cache
def table_f(ai: str) -> tuple[tuple[str, str, int], ...]:
    """The components of an AI's value as (kind N/X, 'L' fixed or 'M' max, length)."""
    definition = _GS1_APPLICATION_IDENTIFIERS.get(ai)
    if definition is None:
        raise BadCompression(f"Unknown AI {ai}.")
    parts = re.findall(r"\[?\+?[NXYZ][0-9.]*\]?", definition.format)[1:]  # [0] is the AI
    components: list[tuple[str, str, int]] = []
    for part in parts:
        match = _COMPONENT.match(part)
        if not match:
            raise BadCompression(f"Unreadable format for AI {ai}.")
        kind = "N" if match.group(1) == "N" else "X"
        optional = part.startswith("[")
        if match.group(3):  # N..12, N6..12: a fixed head, then a variable tail
            head = int(match.group(2) or 0)
            if head:
                components.append((kind, "L", head))
            entry = (kind, "M", int(match.group(3)) - head)
        else:
            entry = (kind, "M" if optional else "L", int(match.group(2)))
        if components:
            last_kind, last_mode, last_length = components[-1]
            if kind == last_kind and last_mode == "L" and (kind == "X" or entry[1] == "L"):
                components[-1] = (kind, entry[1], last_length + entry[2])
                continue
        components.append(entry)
    return tuple(components)


class _Bits:
    def __init__(self, segment: str):
        if not COMPRESSED_SEGMENT.match(segment):
            raise BadCompression("Not URI-safe base64.")
        self.bits = "".join(f"{SAFE_BASE64.index(c):06b}" for c in segment)
        self.cursor = 0

    def remaining(self) -> int:
        return len(self.bits) - self.cursor

    def read(self, count: int) -> int:
        if count > self.remaining():
            raise BadCompression("The compressed link ends too soon.")
        chunk = self.bits[self.cursor : self.cursor + count]
        self.cursor += count
        return int(chunk, 2) if chunk else 0


def _digits(bits: _Bits, count: int) -> str:
    number = bits.read(value_bits(count))
    if count == 0:  # the reference still spends one bit on an empty number
        return ""
    text = str(number).zfill(count)
    if len(text) > count:
        raise BadCompression("A number is longer than its length says.")
    return text


def _characters(bits: _Bits, encoding: int, count: int) -> str:
    if encoding == 0:
        return _digits(bits, count)
    if encoding in (1, 2):
        text = "".join(_HEX[bits.read(4)] for _ in range(count))
        return text.lower() if encoding == 1 else text
    if encoding == 3:
        return "".join(SAFE_BASE64[bits.read(6)] for _ in range(count))
    if encoding == 4:
        return "".join(chr(bits.read(7)) for _ in range(count))
    raise BadCompression(f"Unknown character encoding {encoding}.")


def _value(bits: _Bits, ai: str) -> str:
    value = ""
    for kind, mode, length in table_f(ai):
        if kind == "N":
            count = length if mode == "L" else bits.read(length_bits(length))
            value += _digits(bits, count)
        else:
            encoding = bits.read(3)
            count = length if mode == "L" else bits.read(length_bits(length))
            value += _characters(bits, encoding, count)
    return value


def decompress(segment: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (AI, value) pairs and the non-GS1 (key, value) pairs a compressed segment holds."""
    bits = _Bits(segment)
    elements: list[tuple[str, str]] = []
    others: list[tuple[str, str]] = []
    # Fewer than 8 bits left is the padding to a whole base64 character.
    while bits.remaining() > 8:
        high, low = bits.read(4), bits.read(4)
        pair = _HEX[high] + _HEX[low]
        if high <= 9 and low <= 9:
            size = table_p().get(pair)
            if size is None:
                raise BadCompression(f"No AI starts with {pair}.")
            ai = pair
            for _ in range(size - 2):
                digit = bits.read(4)
                if digit > 9:
                    raise BadCompression("An AI has only decimal digits.")
                ai += str(digit)
            elements.append((ai, _value(bits, ai)))
        elif pair in TABLE_OPT:
            elements.extend((ai, _value(bits, ai)) for ai in TABLE_OPT[pair])
        elif high == 0xF:
            key_length = (low << 3) | bits.read(3)
            key = "".join(SAFE_BASE64[bits.read(6)] for _ in range(key_length))
            encoding = bits.read(3)
            others.append((key, _characters(bits, encoding, bits.read(7))))
        else:
            raise BadCompression(f"No shortcut is defined for {pair}.")
    if not elements:
        raise BadCompression("No GS1 element in the compressed link.")
    return elements, others
