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
# Every app's templates: the web pages, and the e-mail templates of each app (emails/, accounts/,
# campaigns/emails/ and whatever app comes next).
TEMPLATE_DIRS = sorted(path for path in Path(settings.BASE_DIR).glob("*/templates") if path.is_dir())
TEMPLATE_SUFFIXES = (".html", ".txt")

# templatize() turns {% translate %}/{% blocktranslate %} into the gettext calls makemessages extracts.
_CALL = re.compile(r"\b(gettext|pgettext|ngettext|npgettext)\(")
_LITERAL = re.compile(r"""\s*(u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))\s*,?""")


def _template_paths() -> list[Path]:
    return [path for root in TEMPLATE_DIRS for path in root.rglob("*") if path.suffix in TEMPLATE_SUFFIXES]


def _template_messages() -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of every translatable string in the templates of pages and e-mails."""
    found: set[tuple[str | None, str]] = set()
    for path in _template_paths():
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


def test_it_reads_the_templates_of_pages_and_e_mails():
    names = {path.relative_to(settings.BASE_DIR).as_posix() for path in _template_paths()}

    assert "web/templates/web/base.html" in names
    assert "emails/templates/emails/layout.html" in names
    assert "campaigns/templates/campaigns/emails/invitation_message.txt" in names
    assert "accounts/templates/accounts/email/allauth_message.html" in names


def test_it_translates_every_string_of_the_page_and_e_mail_templates():
    # A string added to a template but missing here means makemessages was not run.
    translated = {(e.msgctxt, e.msgid) for e in read_po(PO) if e.translated and not e.fuzzy}

    messages = _template_messages()

    assert ("site name", "Townhall") in messages
    assert (None, "Skip to content") in messages
    assert (None, "Unsubscribe") in messages  # the e-mail layout's footer
    assert (None, "If you did not expect this, ignore this e-mail.") in messages  # the invitation
    assert sorted((m for m in messages if m not in translated), key=str) == []


def test_it_has_no_fuzzy_or_empty_entry():
    # Fuzzy entries are left out of the .mo, so they would silently show English; code strings
    # (forms, the privacy facts) count as much as template ones.
    entries = [e for e in read_po(PO) if e.msgid]

    assert any(ref.startswith("web/") for e in entries for ref in e.references)
    assert [e.msgid for e in entries if e.fuzzy or not e.translated] == []
