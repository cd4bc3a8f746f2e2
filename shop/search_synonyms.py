"""The catalogue search's words: synonyms across Vietnamese and English, the words that ask
for gift sets, and the words each OCOP product group is found by.

Everything here is folded (shop.search.fold: lower-case, no diacritics), because queries and
the indexed text are folded before they meet. Folding merges some Vietnamese words ("lụa"
silk and "lúa" paddy both fold to "lua"; "quà" gift and "quả" fruit to "qua"): the table
picks the catalogue's reading, and the ranking puts names that say the word first anyway.
"""

# Each row: words and phrases that mean the same thing; a query naming one finds them all.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("tra", "che", "tea"),
    ("ca phe", "coffee", "cafe"),
    ("nuoc mam", "fish sauce"),
    ("mat ong", "honey"),
    ("lua", "silk"),
    ("son mai", "lacquer", "lacquerware"),
    ("tieu", "ho tieu", "pepper"),
    ("gom", "ceramic", "ceramics", "pottery", "porcelain", "su"),
    ("ruou", "wine", "liquor", "spirits"),
    ("gao", "rice"),
    ("sam", "ginseng"),
    ("muc", "squid"),
    ("tom", "shrimp", "prawn"),
    ("nhan", "long nhan", "longan"),
    ("khan", "scarf"),
    ("tui", "bag"),
    ("gio", "basket"),
    ("coi", "sedge"),
    ("lo hoa", "binh hoa", "vase"),
    ("tho cam", "brocade", "embroidered"),
    ("thao duoc", "duoc lieu", "herbal", "herbs"),
    ("kho", "dried"),
)

# A query holding one of these asks for gift sets: every product flagged as one matches,
# whatever its name says.
GIFT_PHRASES: frozenset[str] = frozenset(
    {
        "gift",
        "gifts",
        "gift set",
        "gift sets",
        "gift box",
        "gift boxes",
        "gift basket",
        "hamper",
        "qua",
        "qua tang",
        "hop qua",
        "bo qua",
        "set qua",
    }
)

# The group's section of a product's search document: its label in English and Vietnamese
# and the everyday words for it.
GROUP_WORDS: dict[str, str] = {
    "food": "food foods thuc pham do an",
    "beverages": "beverages drinks drink do uong",
    "herbs": "herbs herbal products duoc lieu san pham tu duoc lieu thao duoc",
    "textiles": "textiles garments textile hang det may vai",
    "handicrafts": "handicrafts handicraft souvenirs decor crafts thu cong my nghe "
    "luu niem do trang tri",
}

# The group a word names the goods of: a product of that group ranks above one that only
# mentions the word ("tea" lists the teas before the tea set and the ginseng leaf tea), and
# no product of the group matches for being in it.
GROUP_HINTS: dict[str, str] = {
    "tea": "beverages",
    "coffee": "beverages",
    "wine": "beverages",
    "fish sauce": "food",
    "honey": "food",
    "pepper": "food",
    "rice": "food",
    "squid": "food",
    "shrimp": "food",
    "longan": "food",
    "ginseng": "herbs",
    "silk": "textiles",
    "scarf": "textiles",
    "lacquer": "handicrafts",
    "ceramic": "handicrafts",
    "vase": "handicrafts",
    "basket": "handicrafts",
}

# The longest phrase the tables hold, in words: how far the query parser looks ahead.
LONGEST_PHRASE = max(len(p.split()) for p in (*GIFT_PHRASES, *(w for row in SYNONYMS for w in row)))
