"""What a briefing states about a place, gathered from the tracker, petitions and letters.

`gather()` returns the figures (everything printed, as JSON, kept with the edition) and the
appendix (names of those who chose to show them to officials; printed, never kept in the
database copy). Every fact is footnoted through briefings.footnotes.
"""

from __future__ import annotations

import hashlib
import json
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, Model, Prefetch, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext as _

from briefings.footnotes import Footnotes, MissingCitation, OnlyUnverified
from briefings.models import BriefingPreferences, UnverifiedSources
from campaigns.letters.figures import counted_letters
from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    Letter,
    LetterCampaign,
    Official,
    OfficialPosition,
    OfficialsSee,
    Partnership,
    Place,
    PlaceStatus,
    Signature,
    Status,
    TimelineEvent,
)
from privacy import crypto
from privacy.fields import EncryptedTextField
from supporters.models import Supporter

VERIFIED_CONSTITUENT = (
    "A verified constituent confirmed their e-mail address through a link we sent to it, and said they "
    "live in this place by giving a ZIP code here (self-reported; we do not check street addresses). "
    "Each person counts once, however many petitions or letters they signed. Signatures held for "
    "review or rejected by an organizer are not counted."
)


class NotTracked(ValueError):
    """The campaign does not track the place: there is nothing to brief on."""


@dataclass(frozen=True)
class Gathered:
    figures: dict[str, Any]
    # Of the encrypted names and choices: changes when the appendix would, without decrypting it.
    appendix_digest: str
    _appendix: Callable[[], list[dict[str, Any]]]
    # (supporter id, choice) of each person the appendix names: recorded with the edition, no clear data.
    named: tuple[tuple[int, str], ...] = ()

    def appendix(self) -> list[dict[str, Any]]:
        """The names, decrypted: only for printing."""
        return self._appendix()


def _appendix(shown: list[Shown], place: Place) -> list[dict[str, Any]]:
    return sorted(_appendix_names(shown, place), key=lambda row: (row["name"].lower(), row["where"]))


def gather(*, campaign: Campaign, place: Place, official: Official | None) -> Gathered:
    """Raises NotTracked, or footnotes.MissingCitation when any fact lacks a citation."""
    standing = PlaceStatus.objects.filter(campaign=campaign, place=place).first()
    if standing is None:
        raise NotTracked(_("This campaign does not track %(place)s.") % {"place": place})
    preferences = BriefingPreferences.of(campaign)
    notes = Footnotes(omit_unverified=preferences.unverified_sources == UnverifiedSources.OMIT)
    omitted: list[str] = []
    quoted: list[Citation] = []
    figures: dict[str, Any] = {
        "campaign": {"title": campaign.title, "ask": campaign.ask, "description": campaign.description},
        "organization": preferences.organization or campaign.title,
        "place": {"id": place.pk, "name": place.name, "state": place.state, "kind": place.get_kind_display()},
        "official": _addressee(official),
        "status": _status(standing, notes, omitted, quoted),
        "agencies": _agencies(campaign, place, notes, omitted, quoted),
        "timeline": _timeline(campaign, place, notes, omitted, quoted),
    }
    figures["quotations"] = _quotations(quoted, notes)
    figures["support"] = _support(campaign, place, notes)
    figures["letters"] = _letters(campaign, place, notes)
    figures["officials"] = _officials(campaign, place, _positions(campaign, place, notes))
    figures["omitted_unverified"] = omitted
    figures["unverified_sources"] = preferences.unverified_sources
    figures["footnotes"] = notes.notes
    figures["bibliography"] = notes.bibliography()
    shown = _shown_people(campaign, place)
    digest = hashlib.sha256(json.dumps(shown).encode())
    return Gathered(
        figures=figures,
        appendix_digest=digest.hexdigest(),
        _appendix=lambda: _appendix(shown, place),
        named=tuple((supporter, choice) for supporter, choice, _name, _street in shown),
    )


def _cited(notes: Footnotes, citations: list[Citation], fact: str, omitted: list[str]) -> list[int] | None:
    try:
        return notes.cite(citations, fact=fact)
    except OnlyUnverified:
        omitted.append(fact)
        return None


def _addressee(official: Official | None) -> dict[str, str] | None:
    if official is None:
        return None
    return {"name": official.name, "office": official.get_office_display(), "district": official.district}


def _with_sources(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("source")))


def _status(standing: PlaceStatus, notes: Footnotes, omitted: list[str], quoted: list[Citation]) -> dict[str, Any]:
    label = standing.get_status_display()
    figure: dict[str, Any] = {"value": standing.status, "label": label, "notes": [], "since": ""}
    if standing.status == Status.NOT_STARTED:
        return figure  # nothing is claimed about a place we have not started on
    event = _with_sources(
        TimelineEvent.objects.filter(campaign=standing.campaign, place=standing.place, status_after=standing.status)
    ).last()
    citations = list(_with_sources(PlaceStatus.objects.filter(pk=standing.pk)).get().citations.all())
    if event is not None:
        citations += list(event.citations.all())
        figure["since"] = event.occurred_display
    quoted += citations
    figure["notes"] = _cited(notes, citations, _("Status: %(label)s") % {"label": label}, omitted) or []
    return figure


def _agencies(
    campaign: Campaign, place: Place, notes: Footnotes, omitted: list[str], quoted: list[Citation]
) -> list[dict[str, Any]]:
    partnerships = _with_sources(Partnership.objects.order_by("started_on", "pk"))
    agencies = Agency.objects.filter(campaign=campaign, places=place).prefetch_related(
        Prefetch("partnerships", queryset=partnerships)
    )
    result = []
    for agency in agencies:
        facts = []
        for partnership in agency.partnerships.all():
            citations = list(partnership.citations.all())
            cited = _cited(notes, citations, str(partnership), omitted)
            if cited is None:
                continue
            quoted += citations
            facts.append(
                {
                    "key": f"{agency.pk}:{partnership.vendor}:{partnership.program}",
                    "vendor": partnership.get_vendor_display(),
                    "program": partnership.get_program_display(),
                    "period": partnership.period_display,
                    "current": partnership.ended_on is None,
                    "how_known": partnership.how_known,
                    "notes": cited,
                }
            )
        result.append({"name": agency.name, "kind": agency.get_kind_display(), "partnerships": facts})
    return result


def _timeline(
    campaign: Campaign, place: Place, notes: Footnotes, omitted: list[str], quoted: list[Citation]
) -> list[dict[str, Any]]:
    events = _with_sources(TimelineEvent.objects.filter(campaign=campaign, place=place)).select_related(
        "recorded_position__campaign"
    )
    result = []
    for event in events:
        citations = list(event.citations.all())
        recorded = getattr(event, "recorded_position", None)
        if not citations and recorded is not None:
            # An official's own statement is our record, not a document to cite.
            cited: list[int] | None = [notes.records(_how_recorded(recorded))]
        else:
            cited = _cited(notes, citations, str(event), omitted)
        if cited is None:
            continue
        quoted += citations
        result.append(
            {
                "id": event.pk,
                "date": event.occurred_display,
                "title": event.title,
                "description": event.description,
                "status_after": event.get_status_after_display() if event.status_after else "",
                "notes": cited,
            }
        )
    return result


def _recorded_day(recorded: OfficialPosition) -> str:
    moment = timezone.localtime(recorded.recorded_at, zoneinfo.ZoneInfo(recorded.campaign.time_zone))
    return f"{moment:%B} {moment.day}, {moment.year}"


def _how_recorded(recorded: OfficialPosition) -> str:
    day = _recorded_day(recorded)
    if recorded.recorded_via == "link":
        return _("Recorded by the official through their private link on %(day)s.") % {"day": day}
    return _("Recorded by an organizer on %(day)s.") % {"day": day}


def _quotations(quoted: list[Citation], notes: Footnotes) -> list[dict[str, Any]]:
    """What the public records show: the short quotations among the citations used above, once each."""
    seen: set[int] = set()
    result = []
    for citation in quoted:
        if not citation.quote or citation.pk in seen or citation.source.pk not in notes.sources:
            continue
        seen.add(citation.pk)
        if not citation.source.is_verified and notes.omit_unverified:
            continue
        result.append(
            {
                "quote": citation.quote,
                "locator": citation.locator,
                "source": citation.source.title,
                "notes": notes.cite([citation], fact=citation.quote),
            }
        )
    return result


def counted_signatures(campaign: Campaign, place: Place) -> QuerySet[Signature]:
    return Signature.objects.counted().filter(petition__campaign=campaign, place=place)


def counted_letter_writers(campaign: Campaign, place: Place) -> QuerySet[Letter]:
    return Letter.objects.counted().filter(letter_campaign__campaign=campaign, place=place)


def _support(campaign: Campaign, place: Place, notes: Footnotes) -> dict[str, Any]:
    counted = counted_signatures(campaign, place)
    petitions = counted.values("petition__title").annotate(n=Count("pk")).order_by("petition__title")
    # UNION (not ALL): each person once, counted by the database rather than fetched.
    people = counted.values("supporter_id").union(counted_letter_writers(campaign, place).values("supporter_id"))
    return {
        "definition": _(VERIFIED_CONSTITUENT),
        "constituents": people.count(),
        "signatures": counted.count(),
        "petitions": [{"title": row["petition__title"], "signatures": row["n"]} for row in petitions],
        "notes": [notes.records(_("Townhall's signature records; the verification page shows the same figures."))],
    }


def _letters(campaign: Campaign, place: Place, notes: Footnotes) -> dict[str, Any] | None:
    """Verified constituents who wrote to their officials, and their letters; None without a letter drive."""
    if not LetterCampaign.objects.filter(campaign=campaign).exists():
        return None
    writers = counted_letter_writers(campaign, place).values("supporter").distinct().count()
    return {
        "writers": writers,
        "letters": counted_letters(campaign, place),
        "notes": [notes.records(_("Townhall's letter records; the verification page shows the same figures."))],
    }


def _positions(campaign: Campaign, place: Place, notes: Footnotes) -> dict[int, dict[str, Any]]:
    """Each official's latest recorded position, by official id, footnoted to how it was recorded."""
    latest = (
        OfficialPosition.objects.latest_per_official()
        .filter(campaign=campaign, official__place=place)
        .select_related("campaign")
    )
    positions = {}
    for recorded in latest:
        positions[recorded.official_id] = {
            "position": recorded.get_position_display(),
            "statement": recorded.statement,
            "recorded_on": _recorded_day(recorded),
            "notes": [notes.records(_how_recorded(recorded))],
        }
    return positions


def _officials(campaign: Campaign, place: Place, positions: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The officials in office today, each with their recorded position (if any)."""
    current = Official.objects.current().filter(campaign=campaign, place=place).order_by("office", "name")
    nothing = {"position": "", "recorded_on": "", "notes": []}
    return [
        {
            "id": official.pk,
            "name": official.name,
            "office": official.get_office_display(),
            "district": official.district,
            **positions.get(official.pk, nothing),
        }
        for official in current
    ]


Shown = tuple[int, str, str | None, str | None]


def _shown_people(campaign: Campaign, place: Place) -> list[Shown]:
    """(supporter, choice, name token, street token) of each signer or letter writer who chose to show
    officials their name (every letter goes out signed, with the city or the address as its writer chose).

    Tokens stay encrypted here: the fingerprint hashes them, and only rendering decrypts. Someone who
    signed and wrote is listed once, with the fuller of their choices (the address over the city).
    """
    signers = counted_signatures(campaign, place).exclude(officials_see=OfficialsSee.COUNT)
    fullest: dict[int, Shown] = {}
    for rows in (_shown_rows(signers), _shown_rows(counted_letter_writers(campaign, place))):
        for supporter, choice, name, street in rows.iterator(chunk_size=5000):
            known = fullest.get(supporter)
            if name and (known is None or (choice == OfficialsSee.NAME_ADDRESS and known[1] != choice)):
                fullest[supporter] = (supporter, choice, name, street)  # an erased supporter has no name
    return [fullest[supporter] for supporter in sorted(fullest)]


def _shown_rows(rows: QuerySet[Any]) -> QuerySet[Any, tuple[int, str, str | None, str | None]]:
    text: TextField[str, str] = TextField()
    return rows.order_by("supporter_id").values_list(
        "supporter_id",
        "officials_see",
        ExpressionWrapper(F("supporter__name"), output_field=text),
        ExpressionWrapper(F("supporter__street_address"), output_field=text),
    )


def _appendix_names(shown: list[Shown], place: Place) -> list[dict[str, Any]]:
    """Names with the city, or with the street address, as each chose."""
    names, streets = _context(Supporter, "name"), _context(Supporter, "street_address")
    city = f"{place.name}, {place.state}"
    rows = []
    for _supporter, choice, name, street in shown:
        address = crypto.decrypt(street, context=streets) if street and choice == OfficialsSee.NAME_ADDRESS else ""
        plain = crypto.decrypt(name or "", context=names)
        rows.append({"name": plain, "where": f"{address}, {city}" if address else city, "address": bool(address)})
    return rows


def _context(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, EncryptedTextField):
        raise TypeError(f"{model._meta.label}.{name} is not encrypted")
    return field.context


__all__ = ["VERIFIED_CONSTITUENT", "Gathered", "MissingCitation", "NotTracked", "counted_signatures", "gather"]
