"""Search text folding: Vietnamese matches with or without diacritics.

"Nước mắm Phú Quốc" and "nuoc mam phu quoc" fold to the same text, so a plain
substring match on the folded column works on SQLite and PostgreSQL alike.
"""

from unidecode import unidecode

MAX_QUERY_LENGTH = 100


def fold(text: str) -> str:
    return " ".join(unidecode(text or "").lower().split())
