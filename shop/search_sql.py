"""The catalogue search as SQL: which products a parsed query matches and how they rank,
as fragments over one product table, for the page's hand-written query (shop.card_query)
and the ORM catalogue (shop.catalogue) alike.

PostgreSQL: every term is a tsquery over the weighted search_vector (migration 0014: names
A, group B, cooperative C, descriptions D; GIN index). A typed word matches words starting
with it ("lacq" finds lacquerware); a synonym shorter than four letters matches only as a
whole word, so "trà" finds teas, not Bát Tràng. A word with a digit is a substring of the
search text (trigram index, migration 0012), as product numbers are typed. A product ranks
4 for each term its name holds, 2 for its group, 1 for its cooperative; a gift-set query
ranks every gift set 8 above. Only when nothing at all matches are typos forgiven: each word
then also matches text it resembles (pg_trgm word_similarity), ranked by how closely the
name resembles the query. That branch reads every product, so it runs only when the exact
search found none (a one-time filter in the plan).

SQLite (the simple fallback): the same words as LIKE patterns over the space-separated
search text; the section a word is in is told by the separators before and after it; the
same points; no typo tolerance.
"""

from dataclasses import dataclass

from shop.models import Product
from shop.search import ParsedQuery, Term

# The shortest word a synonym matches by prefix, not only whole.
PREFIX_FROM = 4
# How closely a mistyped word must resemble a word of the text (pg_trgm word_similarity):
# "sause" against "sauce" is 0.5, "lacqer" against "lacquerware" 0.71.
TYPO_SIMILARITY = 0.45
GIFT_NAME_WORDS = ("gift", "gifts", "hamper", "qua")
_WEIGHTS = (("A", 4), ("B", 2), ("C", 1))


@dataclass(frozen=True)
class SearchSql:
    """`where` (a condition) and `rank` (a number, higher first) over the product table."""

    where: str
    where_params: list
    rank: str
    rank_params: list


def _is_digit_term(term: Term) -> bool:
    return any(ch.isdigit() for ch in term.typed)


def _like(text: str) -> str:
    # Query words are letters and digits only (shop.search.words): nothing to escape.
    return f"%{text}%"


def _group_hints(parsed: ParsedQuery, table: str) -> tuple[list[str], list]:
    """A group's points for the products of the group a term names the goods of."""
    groups = [term.group for term in parsed.terms if term.group]
    ranks = [f'CASE WHEN {table}."group" = %s THEN 2 ELSE 0 END' for _ in groups]
    return ranks, groups


# PostgreSQL -----------------------------------------------------------------------------


def _tsquery(term: Term, weight: str = "") -> str:
    typed_only = term.alternatives == (term.typed,)
    alternatives = []
    for alternative in term.alternatives:
        prefix = typed_only or len(alternative) >= PREFIX_FROM
        parts = alternative.split()
        lexemes = [f"{word}:{weight}" if weight else word for word in parts[:-1]]
        last = parts[-1]
        suffix = ("*" if prefix else "") + weight
        lexemes.append(f"{last}:{suffix}" if suffix else last)
        alternatives.append(" <-> ".join(lexemes))
    return "(" + " | ".join(alternatives) + ")"


def _gift_tsquery() -> str:
    return " | ".join(f"{word}:A" for word in GIFT_NAME_WORDS)


def _postgresql(parsed: ParsedQuery, table: str) -> SearchSql:
    words = [term for term in parsed.terms if not _is_digit_term(term)]
    digits = [term for term in parsed.terms if _is_digit_term(term)]

    def exact(alias: str) -> tuple[list[str], list]:
        conditions, params = [], []
        if words:
            conditions.append(f"{alias}.search_vector @@ to_tsquery('simple', %s)")
            params.append(" & ".join(_tsquery(term) for term in words))
        for term in digits:
            conditions.append(f"{alias}.search_text LIKE %s")
            params.append(_like(term.typed))
        if parsed.gift_set:
            conditions.append(
                f"({alias}.is_gift_set OR {alias}.search_vector @@ to_tsquery('simple', %s))"
            )
            params.append(_gift_tsquery())
        return conditions, params

    def forgiving(alias: str) -> tuple[list[str], list]:
        conditions, params = [], []
        for term in words:
            conditions.append(
                f"({alias}.search_vector @@ to_tsquery('simple', %s) "
                f"OR word_similarity(%s, split_part({alias}.search_text, ' | ', 1)) "
                f">= {TYPO_SIMILARITY})"
            )
            params += [_tsquery(term), term.typed]
        rest, rest_params = exact(alias)
        # The digits' and the gift set's conditions are kept as they are.
        skip = 1 if words else 0
        return conditions + rest[skip:], params + rest_params[skip:]

    found, found_params = exact("s")
    gate, gate_params = exact("e")
    loose, loose_params = forgiving("s")
    table_name = Product._meta.db_table
    where = (
        f"{table}.id IN (SELECT s.id FROM {table_name} s WHERE {' AND '.join(found)} "
        f"UNION ALL SELECT s.id FROM {table_name} s WHERE NOT EXISTS (SELECT 1 FROM "
        f"{table_name} e WHERE e.is_published AND {' AND '.join(gate)}) "
        f"AND {' AND '.join(loose)})"
    )
    where_params = [*found_params, *gate_params, *loose_params]

    ranks, rank_params = [], []
    for term in words:
        for weight, points in _WEIGHTS:
            ranks.append(
                f"CASE WHEN {table}.search_vector @@ to_tsquery('simple', %s) "
                f"THEN {points} ELSE 0 END"
            )
            rank_params.append(_tsquery(term, weight))
    if parsed.gift_set:
        ranks.append(f"CASE WHEN {table}.is_gift_set THEN 8 ELSE 0 END")
    hints = _group_hints(parsed, table)
    ranks += hints[0]
    rank_params += hints[1]
    if words:
        # Typos: how closely the name resembles the query, for the products the exact
        # search does not find (only the forgiving branch lists any).
        ranks.append(
            f"CASE WHEN {table}.search_vector @@ to_tsquery('simple', %s) THEN 0 "
            f"ELSE word_similarity(%s, split_part({table}.search_text, ' | ', 1)) END"
        )
        rank_params += [
            " & ".join(_tsquery(term) for term in words),
            " ".join(term.typed for term in words),
        ]
    return SearchSql(where, where_params, "(" + " + ".join(ranks or ["0"]) + ")", rank_params)


# SQLite ---------------------------------------------------------------------------------


def _patterns(term: Term, section: int | None) -> list[str]:
    """LIKE patterns over ' ' || search_text || ' ' that find the term anywhere (section
    None) or in the given section (1 to 4): as many separators before it as sections
    before, as many after as sections after."""
    head = "%|" * (section - 1) if section else ""
    tail = "%|" * (4 - section) + "%" if section else "%"
    if _is_digit_term(term):
        return [f"{head}%{term.typed}{tail}"]
    typed_only = term.alternatives == (term.typed,)
    patterns = []
    for alternative in term.alternatives:
        prefix = typed_only or len(alternative) >= PREFIX_FROM
        patterns.append(f"{head}% {alternative}{'' if prefix else ' '}{tail}")
    return patterns


def _sqlite(parsed: ParsedQuery, table: str) -> SearchSql:
    text = f"(' ' || {table}.search_text || ' ')"

    def any_of(term: Term, section: int | None) -> tuple[str, list]:
        patterns = _patterns(term, section)
        return "(" + " OR ".join(f"{text} LIKE %s" for _ in patterns) + ")", patterns

    conditions, params = [], []
    ranks, rank_params = [], []
    for term in parsed.terms:
        condition, patterns = any_of(term, None)
        conditions.append(condition)
        params += patterns
        for section, (_, points) in enumerate(_WEIGHTS, start=1):
            condition, patterns = any_of(term, section)
            ranks.append(f"CASE WHEN {condition} THEN {points} ELSE 0 END")
            rank_params += patterns
    if parsed.gift_set:
        gift = Term("gift", GIFT_NAME_WORDS)
        condition, patterns = any_of(gift, 1)
        conditions.append(f"({table}.is_gift_set OR {condition})")
        params += patterns
        ranks.append(f"CASE WHEN {table}.is_gift_set THEN 8 ELSE 0 END")
    hints = _group_hints(parsed, table)
    ranks += hints[0]
    rank_params += hints[1]
    return SearchSql(
        " AND ".join(conditions), params, "(" + " + ".join(ranks or ["0"]) + ")", rank_params
    )


def search_sql(parsed: ParsedQuery, *, table: str, vendor: str) -> SearchSql | None:
    """The query's condition and rank over `table` (an alias or a quoted table name), or
    None when the query holds no word to search by."""
    if not parsed:
        return None
    if vendor == "postgresql":
        return _postgresql(parsed, table)
    return _sqlite(parsed, table)
