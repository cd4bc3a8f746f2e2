"""Catalogue search: folded text, the search document a product is indexed by, and the
reading of a shopper's query.

Folding: "Nước mắm Phú Quốc" and "nuoc mam phu quoc" fold to the same text, so every
comparison is made between folded texts, on SQLite and PostgreSQL alike. PostgreSQL's
unaccent is not needed: the indexed text is folded in Python when the product is saved.

The search document (Product.search_text) holds a product's words in four sections, most
telling first, separated by " | ": its names (English and Vietnamese), its group's words,
its cooperative's name, its descriptions. On PostgreSQL a generated column weighs them
A, B, C and D in a tsvector (migration 0014); the SQLite fallback tells them apart by how
many separators follow a word (shop.search_sql).

A query is read into terms: every term must match (AND); a term matches any of its
alternatives (a word and its synonyms across languages, shop.search_synonyms). Words that
ask for gift sets ("gift", "gift set", "quà", "hộp quà") become a flag instead of a term:
every gift set matches them.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from unidecode import unidecode

from shop.search_synonyms import (
    GIFT_PHRASES,
    GROUP_HINTS,
    GROUP_WORDS,
    LONGEST_PHRASE,
    SYNONYMS,
)

MAX_QUERY_LENGTH = 100
# A query's words past this many are ignored: each costs a condition in the page's SQL.
MAX_TERMS = 6
SECTION_SEPARATOR = " | "

_WORD = re.compile(r"[a-z0-9]+")
_ALTERNATIVES: dict[str, tuple[str, ...]] = {phrase: row for row in SYNONYMS for phrase in row}


def fold(text: str) -> str:
    return " ".join(unidecode(text or "").lower().split())


def words(text: str) -> list[str]:
    """The folded text's words: letters and digits only, so a section never holds the
    separator and every word is a word to the tsvector's parser too."""
    return _WORD.findall(fold(text))


def search_document(
    *, names: Iterable[str], group: str, cooperative: str, descriptions: Iterable[str]
) -> str:
    """Product.search_text: names | group words | cooperative | descriptions, folded."""
    sections = (
        " ".join(words(" ".join(names))),
        GROUP_WORDS.get(group, ""),
        " ".join(words(cooperative)),
        " ".join(words(" ".join(descriptions))),
    )
    return SECTION_SEPARATOR.join(sections)


@dataclass(frozen=True)
class Term:
    """One thing the shopper asked for: `typed` as typed (folded), matched by any of
    `alternatives` (each a word or a phrase of words)."""

    typed: str
    alternatives: tuple[str, ...]
    # The product group the term names the goods of (shop.search_synonyms.GROUP_HINTS).
    group: str = ""


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    gift_set: bool

    def __bool__(self) -> bool:
        return bool(self.terms) or self.gift_set


def parse_query(text: str) -> ParsedQuery:
    """Read a query: the longest known phrase at each word first ("nuoc mam" before "nuoc"),
    a gift phrase sets the flag, any other word is a term of its own."""
    tokens = words(text[:MAX_QUERY_LENGTH])
    terms: list[Term] = []
    gift_set = False
    i = 0
    while i < len(tokens) and len(terms) < MAX_TERMS:
        for size in range(min(LONGEST_PHRASE, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + size])
            if phrase in GIFT_PHRASES:
                gift_set = True
                break
            if phrase in _ALTERNATIVES:
                alternatives = _ALTERNATIVES[phrase]
                group = next((GROUP_HINTS[a] for a in alternatives if a in GROUP_HINTS), "")
                terms.append(Term(phrase, alternatives, group))
                break
        else:
            size = 1
            terms.append(Term(tokens[i], (tokens[i],)))
        i += size
    return ParsedQuery(tuple(dict.fromkeys(terms)), gift_set)
