"""Numbered footnotes and the bibliography they point to.

Every fact in a briefing goes through `Footnotes.cite`: a fact without a citation stops the
briefing (MissingCitation), so nothing reaches a council member unsourced. With unverified
sources left out, a fact resting only on them is dropped (OnlyUnverified) rather than printed bare.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from campaigns.models import Citation, Source


class MissingCitation(ValueError):
    """A fact with no citation: the briefing must not be generated."""


class OnlyUnverified(ValueError):
    """Every source of the fact is unverified, and the organizers leave those out."""


class Footnotes:
    def __init__(self, *, omit_unverified: bool) -> None:
        self.omit_unverified = omit_unverified
        self.notes: list[dict[str, Any]] = []
        self.sources: dict[int, dict[str, Any]] = {}
        self._by_key: dict[tuple[str, int, str], int] = {}

    def cite(self, citations: Iterable[Citation], *, fact: str) -> list[int]:
        """Footnote numbers for a fact; raises MissingCitation or OnlyUnverified."""
        given = list(citations)
        if not given:
            raise MissingCitation(_("No citation for: %(fact)s") % {"fact": fact})
        usable = [c for c in given if c.source.is_verified or not self.omit_unverified]
        if not usable:
            raise OnlyUnverified(fact)
        return sorted({self._note_for(citation) for citation in usable})

    def records(self, text: str) -> int:
        """A footnote to our own records (counts, recorded positions), checkable on the verification page."""
        key = ("records", 0, text)
        if key not in self._by_key:
            self.notes.append({"number": len(self.notes) + 1, "text": text, "source": None, "locator": ""})
            self._by_key[key] = len(self.notes)
        return self._by_key[key]

    def bibliography(self) -> list[dict[str, Any]]:
        entries = sorted(self.sources.values(), key=lambda entry: int(entry["number"]))
        cited = {note["source"] for note in self.notes if note["source"] is not None}
        uncited = [entry["title"] for entry in entries if entry["number"] not in cited]
        if uncited:  # cannot happen through cite(); guards later edits of this module
            raise MissingCitation(_("Bibliography entries cited nowhere: %(titles)s") % {"titles": uncited})
        return entries

    def _note_for(self, citation: Citation) -> int:
        entry = self._entry_for(citation.source)
        key = ("source", entry["number"], citation.locator)
        if key not in self._by_key:
            self.notes.append(
                {
                    "number": len(self.notes) + 1,
                    "text": "",
                    "source": entry["number"],
                    "locator": citation.locator,
                }
            )
            self._by_key[key] = len(self.notes)
        return self._by_key[key]

    def _entry_for(self, source: Source) -> dict[str, Any]:
        if source.pk not in self.sources:
            self.sources[source.pk] = source_entry(source, number=len(self.sources) + 1)
        return self.sources[source.pk]


def source_entry(source: Source, *, number: int) -> dict[str, Any]:
    return {
        "number": number,
        "id": source.pk,
        "title": source.title,
        "publisher": source.publisher,
        "authors": source.authors,
        "published": source.published_display,
        "kind": source.get_kind_display(),
        "url": source.url,
        "archived_url": source.archived_url,
        "documentcloud_id": source.documentcloud_id,
        "retrieved": source.retrieved_on.isoformat() if source.retrieved_on else "",
        "verified": source.is_verified,
    }
