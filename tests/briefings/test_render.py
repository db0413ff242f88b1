"""The PDF itself: read back as text, it says what the database says, and every claim is footnoted."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest

from briefings import editions
from briefings.editions import read_pdf, request_edition
from briefings.footnotes import MissingCitation
from briefings.models import BriefingPreferences, Edition, UnverifiedSources
from briefings.render import build_html, render_pdf
from campaigns.models import Citation, OfficialsSee, Review, Source
from tests.briefings.conftest import add_signer, generated, markers, pdf_text, section


def test_it_prints_footnotes_that_resolve_and_counts_that_match_the_database(world):
    for _ in range(3):
        add_signer(world)
    add_signer(world, confirmed=False)  # not confirmed: not counted
    add_signer(world, review=Review.HELD)  # held: not counted
    add_signer(world, place=world.other_place)  # another place
    edition = generated(world)
    text = pdf_text(read_pdf(edition))

    body = section(text, "Summary and the ask", "Notes")
    notes = section(text, "Notes", "Bibliography")
    bibliography = section(text, "Bibliography", "Appendix")
    cited = markers(body)
    assert cited == set(range(1, len(edition.figures["footnotes"]) + 1))
    for number in cited:
        assert re.search(rf"^{number}\. ", notes, re.MULTILINE), f"note {number} is missing"
    for entry in re.findall(r"\[B(\d+)\]", notes):
        assert f"[B{entry}]" in bibliography
    assert "3 verified constituents of Bloomfield support this request" in body
    assert "Verified constituents 3" in " ".join(body.split())
    assert "Amazon Is Coaching Cops" in bibliography and "Council minutes, 12 March 2024" in bibliography
    assert "Police must promote the Neighbors app." in body and "p. 4" in body
    assert "e-mail address through a link" in body  # "verified constituent" is defined
    assert "End the Neighbors Portal agreement." in body  # the ask
    assert "Ana Member" in body and "Former Member" not in body


def test_it_refuses_to_generate_when_a_fact_has_no_citation(world):
    generated(world)
    world.citation.delete()

    with pytest.raises(MissingCitation, match="Neighbors Portal"):
        request_edition(campaign=world.campaign, place=world.place)


def test_a_queued_edition_fails_when_its_citation_goes_before_it_is_generated(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        edition = request_edition(campaign=world.campaign, place=world.place)
    Citation.objects.filter(partnership=world.partnership).delete()

    editions.generate_edition(edition.pk)

    edition.refresh_from_db()
    assert edition.status == Edition.Status.FAILED
    assert "No citation for" in edition.error and not edition.pdf_name


def test_every_bibliography_entry_is_cited_and_unverified_ones_are_marked(world):
    rumor = Source.objects.create(campaign=world.campaign, title="A blog post", url="https://example.org/b")
    Citation.objects.create(source=rumor, partnership=world.partnership, locator="§3")
    Source.objects.create(campaign=world.campaign, title="Never cited", url="https://example.org/n", is_verified=True)
    edition = generated(world)
    text = pdf_text(read_pdf(edition))

    bibliography = section(text, "Bibliography", "Appendix")
    assert "Never cited" not in text
    assert "A blog post" in bibliography and "Unverified" in bibliography
    assert "(unverified)" in section(text, "Notes", "Bibliography")
    numbers = {entry["number"] for entry in edition.figures["bibliography"]}
    assert numbers == {note["source"] for note in edition.figures["footnotes"] if note["source"]}


def test_unverified_sources_are_left_out_when_the_organizers_say_so(world):
    BriefingPreferences.objects.create(campaign=world.campaign, unverified_sources=UnverifiedSources.OMIT)
    rumor = Source.objects.create(campaign=world.campaign, title="A blog post", url="https://example.org/b")
    Citation.objects.create(source=rumor, partnership=world.partnership, locator="§3")
    world.minutes.is_verified = False
    world.minutes.save()
    edition = generated(world)
    text = pdf_text(read_pdf(edition))

    assert "A blog post" not in text and "Council minutes" not in text
    assert "Amazon Is Coaching Cops" in text  # the verified source still stands
    # The status and its timeline event rested only on the minutes.
    assert "2 facts resting only on unverified sources are left out" in text
    assert "Where Bloomfield stands" not in text and "Council discussed" not in text


def test_the_appendix_names_only_those_who_chose_to_show_them(world):
    add_signer(world, name="Dana Scully", officials_see=OfficialsSee.NAME_CITY)
    add_signer(world, name="Fox Mulder", officials_see=OfficialsSee.NAME_ADDRESS, street="2630 Hegal Place")
    add_signer(world, name="Walter Skinner")  # count only
    add_signer(world, name="Alex Krycek", officials_see=OfficialsSee.NAME_CITY, confirmed=False)
    edition = generated(world)
    text = pdf_text(read_pdf(edition))

    appendix = " ".join(section(text, "Appendix").split())
    assert "With their city, Bloomfield, NJ Dana Scully." in appendix
    assert "With their street address Fox Mulder — 2630 Hegal Place, Bloomfield, NJ." in appendix
    assert "Walter Skinner" not in text and "Alex Krycek" not in text
    assert "3 verified constituents" in text  # everyone confirmed is counted
    assert "Dana Scully" not in str(edition.figures)  # names stay out of the database copy


def test_the_pdf_is_tagged_for_pdf_ua_with_its_metadata(world):
    edition = generated(world)
    with pikepdf.open(io.BytesIO(read_pdf(edition))) as pdf:
        assert str(pdf.Root.Lang) == "en"
        tree = pdf.Root.StructTreeRoot
        assert tree.Type == "/StructTreeRoot" and len(tree.K) > 0
        assert bool(pdf.Root.MarkInfo.Marked)
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo.Title).startswith("End Ring partnerships: briefing for Bloomfield")
        assert str(pdf.docinfo.Author) == "End Ring partnerships"
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        fonts = {str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values()}
    # The project's @font-face files (briefings/static/briefings/fonts/), not whatever the machine has.
    assert {font.split("+")[1] for font in fonts} >= {"Briefing-Serif", "Briefing-Sans"}, fonts


def test_the_same_html_is_typeset_to_the_same_bytes(world):
    edition = generated(world)
    html = editions.read_html(edition)
    first, pages = render_pdf(html)
    second, _ = render_pdf(html)
    assert first == second == read_pdf(edition)
    assert pages == edition.page_count


def test_it_prints_running_headers_and_page_numbers(world):
    edition = generated(world)
    reader_text = pdf_text(read_pdf(edition))
    assert f"Page 2 of {edition.page_count}" in reader_text
    assert reader_text.count("Bloomfield, NJ (Township)") >= edition.page_count - 1  # every page but the cover


def test_the_preview_is_the_html_the_pdf_was_made_from(world):
    edition = generated(world)
    rebuilt = build_html(
        figures=edition.figures,
        appendix=[],
        meta=editions.meta(edition, edition.generated_at),
    )
    assert editions.read_html(edition) == rebuilt
