"""Every translation catalogue in shop/locale keeps up with the Vietnamese one (the team's
reference: every string the code marks is translated there first), keeps each message's
placeholders and tags, has its language's plural forms, has nothing fuzzy or empty, and is
compiled as committed. The pages in each language have their own test modules
(test_german.py, test_french.py, test_japanese.py, test_korean.py, test_chinese.py)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "shop" / "locale"
VIETNAMESE_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%|\{[a-z_]*\}|</?[a-z]+[^>]*>")
# Each catalogue's directory, babel locale and plural rule (GNU gettext's usual forms).
CATALOGUES = {
    "de": ("de", "nplurals=2; plural=(n != 1);"),
    "fr": ("fr", "nplurals=2; plural=(n > 1);"),
    "ja": ("ja", "nplurals=1; plural=0;"),
    "ko": ("ko", "nplurals=1; plural=0;"),
    "zh_Hans": ("zh_Hans", "nplurals=1; plural=0;"),
}


def po_path(directory: str) -> Path:
    return LOCALE / directory / "LC_MESSAGES" / "django.po"


def catalogue(path: Path, locale: str):
    with open(path, "rb") as po:
        return read_po(po, locale=locale)


def key(message) -> tuple:
    first = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, first)


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_shop_language_but_english_has_a_catalogue():
    directories = {code.replace("zh-hans", "zh_Hans") for code, _ in settings.LANGUAGES}
    assert directories - {"en"} == {"vi", *CATALOGUES}
    assert all(po_path(directory).exists() for directory in directories - {"en"})


@pytest.mark.parametrize("directory", CATALOGUES)
def test_every_vietnamese_entry_is_translated(directory):
    vietnamese = catalogue(VIETNAMESE_PO, "vi")
    translated = {key(m): m for m in catalogue(po_path(directory), directory) if m.id}
    missing = [m.id for m in vietnamese if m.id and key(m) not in translated]
    empty = [
        m.id
        for m in vietnamese
        if m.id and key(m) in translated and not all(strings(translated[key(m)]))
    ]
    assert (missing, empty) == ([], [])


@pytest.mark.parametrize("directory", ["vi", *CATALOGUES])
def test_no_entry_is_empty_or_fuzzy(directory):
    messages = catalogue(po_path(directory), directory)
    assert [m.id for m in messages if m.id and not all(strings(m))] == []
    assert [m.id for m in messages if m.id and m.fuzzy] == []


@pytest.mark.parametrize("directory", CATALOGUES)
def test_plural_forms_follow_the_language(directory):
    _locale, rule = CATALOGUES[directory]
    messages = catalogue(po_path(directory), directory)
    forms = int(rule.split(";")[0].split("=")[1])
    assert messages.plural_forms == rule
    assert [m.id for m in messages if isinstance(m.id, tuple) and len(m.string) != forms] == []


@pytest.mark.parametrize("directory", CATALOGUES)
def test_every_translation_keeps_the_placeholders_and_tags_of_its_english(directory):
    broken = []
    for message in catalogue(po_path(directory), directory):
        if not message.id:
            continue
        english_forms = message.id if isinstance(message.id, tuple) else (message.id,)
        for index, translated in enumerate(strings(message)):
            # One form in ja/ko/zh stands for the singular and the plural alike.
            english = english_forms[min(index, len(english_forms) - 1)]
            candidates = english_forms if len(strings(message)) == 1 else (english,)
            found = sorted(PLACEHOLDER.findall(translated))
            if all(found != sorted(PLACEHOLDER.findall(e)) for e in candidates):
                broken.append(english)
    assert broken == []


@pytest.mark.parametrize("directory", ["vi", *CATALOGUES])
def test_the_compiled_catalogue_matches_the_po_file(directory):
    po = catalogue(po_path(directory), directory)
    with open(po_path(directory).with_suffix(".mo"), "rb") as mo_file:
        mo = read_mo(mo_file)

    def as_key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    expected = {
        (m.context, as_key(m.id)): as_key(m.string)
        for m in po
        if m.id and all(strings(m)) and not m.fuzzy
    }
    assert {(m.context, as_key(m.id)): as_key(m.string) for m in mo if m.id} == expected


@pytest.mark.parametrize("directory", ["vi", *CATALOGUES])
def test_the_catalogue_compiles_without_errors(directory):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt is not None, "GNU gettext's msgfmt is needed to compile the catalogues"
    result = subprocess.run(
        [msgfmt, "--check-format", "-o", "/dev/null", str(po_path(directory))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
