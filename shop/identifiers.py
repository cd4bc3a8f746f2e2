"""Ids read from the outside world (URLs, query strings, forms, GraphQL IDs, stored keys).

`str.isdigit()` accepts "²" and "①", which `int()` refuses, and any length, which a
database integer column refuses: every door parses ids here instead, so odd text finds
nothing rather than raising.
"""

# A PostgreSQL bigint holds 18 digits safely (its maximum has 19).
MAX_ID_DIGITS = 18
_ASCII_DIGITS = frozenset("0123456789")


def _ascii_number(value: object) -> int | None:
    """The number `value` writes in 1 to MAX_ID_DIGITS ASCII digits, or None (an int is read
    as its decimal text, so True, floats and negative numbers are refused)."""
    if isinstance(value, bool):
        return None
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else None
    if not text or len(text) > MAX_ID_DIGITS or not _ASCII_DIGITS.issuperset(text):
        return None
    return int(text)


def parse_id(value: object) -> int | None:
    """The positive integer `value` names, or None.

    Rule: only ASCII digits, 1 to MAX_ID_DIGITS of them, with no sign or spaces; an int
    is taken as its decimal text (so True, floats and negative numbers are refused).
    No side effects."""
    return _ascii_number(value) or None


def parse_count(value: object, *, maximum: int) -> int | None:
    """A whole number from 0 to `maximum` written in ASCII digits, or None. No side effects."""
    number = _ascii_number(value)
    return number if number is not None and number <= maximum else None
