from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.utils.translation.template import templatize

from tests.web.po import comparable_mo, expected_mo, read_mo, read_po

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
PO, MO = LOCALE / "django.po", LOCALE / "django.mo"
WEB_TEMPLATES = Path(settings.BASE_DIR) / "web" / "templates"

# templatize() turns {% translate %}/{% blocktranslate %} into the gettext calls makemessages extracts.
_CALL = re.compile(r"\b(gettext|pgettext|ngettext|npgettext)\(")
_LITERAL = re.compile(r"""\s*(u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))\s*,?""")


def _template_messages() -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of every translatable string in the web templates."""
    found: set[tuple[str | None, str]] = set()
    for path in WEB_TEMPLATES.rglob("*.html"):
        source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for call in _CALL.finditer(source):
            strings, position = [], call.end()
            while literal := _LITERAL.match(source, position):
                strings.append(ast.literal_eval(literal.group(1)))
                position = literal.end()
            has_context = call.group(1).startswith(("p", "np"))
            found.add((strings[0], strings[1]) if has_context else (None, strings[0]))
    return found


def test_it_ships_a_compiled_catalog_in_sync_with_the_po():
    # The runtime has no gettext tools, so the committed .mo is what users get: it must be exactly
    # what compilemessages makes of the committed .po (run it after every .po edit).
    assert comparable_mo(read_mo(MO)) == expected_mo(read_po(PO))


def test_it_loads_the_catalog_with_pythons_gettext():
    with MO.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    # Bound, not called by name: makemessages would otherwise collect these test strings.
    lookup, lookup_in_context = catalog.gettext, catalog.pgettext

    assert lookup("Skip to content") == "Saltar al contenido"
    assert lookup_in_context("navigation landmark", "Main") == "Principal"
    assert catalog.info()["language"] == "es"


def test_it_translates_every_string_of_the_web_templates():
    # A string added to a template but missing here means makemessages was not run.
    translated = {(e.msgctxt, e.msgid) for e in read_po(PO) if e.translated and not e.fuzzy}

    messages = _template_messages()

    assert ("site name", "Townhall") in messages
    assert (None, "Skip to content") in messages
    assert sorted((m for m in messages if m not in translated), key=str) == []


def test_it_has_no_fuzzy_or_empty_entry_for_the_web_app():
    # Fuzzy entries are left out of the .mo, so they would silently show English.
    web_entries = [e for e in read_po(PO) if any(ref.startswith("web/") for ref in e.references)]

    assert web_entries
    assert [e.msgid for e in web_entries if e.fuzzy or not e.translated] == []
