"""The demo campaign's facts: real places, agencies, Ring partnerships and the reports that show them.

Plain Python rather than JSON so each fact can carry a comment on where it came from, dates and
choices are type-checked by mypy, and no loader has to parse or validate a file format.
`campaigns.demo.load_demo_campaign` writes it to the database.

Rules this data keeps (tests/campaigns/test_demo_data.py checks them):

- Nothing invented. Every partnership and status change cites a public source below; quotations are
  the reports' own words (mostly the Motherboard article of 5 August 2019). Where we know a fact only
  from our bibliography's summary of a source, the summary goes in the citation's note, not its quote.
- OCD division ids and Census GEOIDs are copied from the Open Civic Data list (us_census_places.csv,
  ocd-division-ids commit 7080566), never built from a name; the GEOID drops the list's "place-" prefix.
- Coordinates are the `zipcodes` package's centroid of one ZIP code in the place, looked up at load
  time, so only the ZIP is written here.
- Population is left empty: no population figure appears in a source we hold.
- A start date is only as precise as its source (a month, stored as the 1st); when no source says
  when an agency joined, it is left empty and `how_known` says what the evidence shows instead.
- Officials only where a public dataset names them (Open States people, CC0); no e-mail addresses,
  so that the demo never writes to a real mayor's office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from campaigns.models import Agency, DatePrecision, Official, Place, Program, Source, Status, Vendor


@dataclass(frozen=True)
class SourceFacts:
    title: str
    publisher: str
    url: str
    kind: Source.Kind
    is_verified: bool  # as in our bibliography: False means its text or URL was not actually seen
    authors: str = ""
    published_on: dt.date | None = None
    published_precision: DatePrecision = DatePrecision.DAY
    archived_url: str = ""


@dataclass(frozen=True)
class CitationFacts:
    source: str  # a key of SOURCES
    quote: str = ""  # the source's own words, short
    locator: str = ""
    note: str = ""


@dataclass(frozen=True)
class PartnershipFacts:
    how_known: str
    citations: tuple[CitationFacts, ...]
    vendor: Vendor = Vendor.RING
    program: Program = Program.NEIGHBORS_PORTAL
    started_on: dt.date | None = None
    started_precision: DatePrecision = DatePrecision.DAY


@dataclass(frozen=True)
class AgencyFacts:
    name: str
    kind: Agency.Kind
    partnership: PartnershipFacts


@dataclass(frozen=True)
class StatusFacts:
    """A status change, dated when its evidence became public."""

    title: str
    occurred_on: dt.date
    citations: tuple[CitationFacts, ...]
    precision: DatePrecision = DatePrecision.DAY
    status: Status = Status.PARTNERSHIP_DOCUMENTED
    description: str = ""


@dataclass(frozen=True)
class OfficialFacts:
    name: str
    office: Official.Office
    provenance: str  # where the name, office, term and phone come from (not stored)
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    phone: str = ""


@dataclass(frozen=True)
class PlaceFacts:
    name: str
    kind: Place.Kind
    state: str
    ocd_id: str
    census_geoid: str
    county_name: str
    zip_code: str  # its zipcodes centroid becomes the place's coordinates
    agency: AgencyFacts
    documented: StatusFacts
    officials: tuple[OfficialFacts, ...] = field(default_factory=tuple)

    @property
    def location_source(self) -> str:
        return f"zipcodes ZIP centroid {self.zip_code}"


@dataclass(frozen=True)
class CampaignFacts:
    slug: str
    title: str
    is_public: bool
    ask: str
    description: str
    signature_goal: int
    letter_goal: int
    time_zone: str


CAMPAIGN = CampaignFacts(
    slug="end-ring-police-partnerships",
    title="End police partnerships with Amazon Ring",
    is_public=True,
    # The ask of Fight for the Future's open letter of 7 October 2019 ("fftf-open-letter").
    ask=(
        "End the police department's partnership with Amazon Ring, and pass a surveillance-oversight "
        "ordinance so that no such deal is made again without the council's approval."
    ),
    # Each fact is in a source below: Motherboard (5 Aug 2019), Motherboard scripts (the 225 count),
    # Axios (2,161), ABC30 (January 2024), BET and Ring's Community Request help page (Axon, 2025).
    description=(
        "When police partner with Ring, Amazon's home surveillance camera company, officers can ask "
        "camera owners for their footage without a warrant, and in 2019 Ring was coaching them on how to "
        "get more of it. At least 225 agencies had partnered by April 2019 and 2,161 by July 2022. Ring stopped "
        "police video requests in its app in January 2024, but since 2025 agencies can ask for footage "
        "again through Axon's Community Requests. We ask city and county councils to end these "
        "partnerships."
    ),
    # The demo campaign's own targets, not facts.
    signature_goal=1000,
    letter_goal=250,
    time_zone="America/New_York",
)

# Our source library, keyed for the citations below; titles, dates and verified flags as in
# our bibliography (shared ring_sources.json). No archived copy of any of them is known to us.
SOURCES: dict[str, SourceFacts] = {
    "motherboard-coaching": SourceFacts(
        title="Amazon Is Coaching Cops on How to Obtain Surveillance Footage Without a Warrant",
        publisher="Motherboard (Vice)",
        authors="Caroline Haskins",
        published_on=dt.date(2019, 8, 5),
        url="https://www.vice.com/en/article/43kga3/amazon-is-coaching-cops-on-how-to-obtain-surveillance-footage-without-a-warrant",
        kind=Source.Kind.NEWS,
        is_verified=True,
    ),
    "nj1015-31-departments": SourceFacts(
        # Title inferred from the URL slug.
        title="31 NJ police departments partner with Ring for surveillance footage",
        publisher="New Jersey 101.5",
        published_on=dt.date(2019, 8, 1),
        published_precision=DatePrecision.MONTH,
        url="https://nj1015.com/31-nj-police-departments-partner-with-ring-for-surveillance-footage/",
        kind=Source.Kind.NEWS,
        is_verified=True,
    ),
    "motherboard-scripts": SourceFacts(
        title="Revealed: The Secret Scripts Amazon Gives to Cops to Promote Ring Surveillance Cameras",
        publisher="Motherboard (Vice)",
        authors="Caroline Haskins",
        published_on=dt.date(2019, 8, 1),
        published_precision=DatePrecision.MONTH,
        url="https://www.vice.com/en/article/wjwea4/revealed-the-secret-scripts-amazon-give-to-cops-to-promote-ring-surveillance-cameras",
        kind=Source.Kind.NEWS,
        is_verified=True,
    ),
    "cnet-chula-vista": SourceFacts(
        title="How Amazon convinces police to join the Ring network",
        publisher="CNET",
        authors="Alfred Ng",
        published_on=dt.date(2019, 8, 1),
        published_precision=DatePrecision.MONTH,
        url="https://www.cnet.com/news/how-amazon-convinces-police-to-join-ring",
        kind=Source.Kind.NEWS,
        is_verified=True,
    ),
    "eff-lapd-report": SourceFacts(
        # Title inferred from the URL slug.
        title="New EFF Report Shows Cops Used Ring Cameras to Monitor Black Lives Matter Protests",
        publisher="Electronic Frontier Foundation",
        published_on=dt.date(2021, 2, 16),
        url="https://www.eff.org/press/releases/new-eff-report-shows-cops-used-ring-cameras-monitor-black-lives-matter-protests",
        kind=Source.Kind.ADVOCACY,
        is_verified=True,
    ),
    "chicago-pd-notice": SourceFacts(
        title=(
            "Department Notice: RING Neighbors for Law Enforcement Portal Pilot Program (012th and 022nd Districts)"
        ),
        publisher="Chicago Police Department",
        authors="Chicago Police Department",
        published_on=dt.date(2020, 10, 1),
        url="http://directives.chicagopolice.org/directives/data/a7a57bc7-174e4632-60917-4e47-346b0966b268aad9.html",
        kind=Source.Kind.GOVERNMENT,
        is_verified=True,
    ),
    "tigard-acknowledgement": SourceFacts(
        title="Tigard - RING Acknowledgement Form - March 2020",
        publisher="City of Tigard (OR) public records",
        authors="City of Tigard",
        published_on=dt.date(2020, 3, 1),
        published_precision=DatePrecision.MONTH,
        url="http://publicrecords.tigard-or.gov/Public/DocView.aspx?dbid=0&id=993583&repo=CityOfTigard",
        kind=Source.Kind.PUBLIC_RECORD,
        is_verified=True,
    ),
    # Background for the campaign's ask and description (not cited by a partnership).
    "fftf-open-letter": SourceFacts(
        title=(
            "Open letter calling on elected officials to stop Amazon's doorbell surveillance partnerships with police"
        ),
        publisher="Fight for the Future",
        authors="Fight for the Future and 30+ civil-rights organizations",
        published_on=dt.date(2019, 10, 7),
        url="https://www.fightforthefuture.org/news/2019-10-07-open-letter-calling-on-elected-officials-to-stop/",
        kind=Source.Kind.ADVOCACY,
        is_verified=True,
    ),
    "axios-2161-agencies": SourceFacts(
        title="Ring doorbell shared footage without consent 11 times this year",
        publisher="Axios",
        published_on=dt.date(2022, 7, 13),
        url="https://www.axios.com/2022/07/13/amazon-ring-doorbell-footage-law-enforcement",
        kind=Source.Kind.NEWS,
        is_verified=True,
    ),
    "abc30-rfa-ends": SourceFacts(
        title="Local law enforcement leaders react to Ring no longer allowing police video requests",
        publisher="ABC30 (KFSN-TV, Fresno)",
        published_on=dt.date(2024, 1, 26),
        url="https://abc30.com/ring-video-neighbors-app-law-enforcement-requests/14361142/",
        kind=Source.Kind.NEWS,
        is_verified=True,
    ),
    "bet-axon": SourceFacts(
        title="Your Ring Camera Could Soon Be Used by Police Again",
        publisher="BET",
        published_on=dt.date(2025, 1, 1),
        published_precision=DatePrecision.YEAR,
        url="https://www.bet.com/article/1kugvz/your-ring-camera-could-soon-be-used-by-police-again",
        kind=Source.Kind.NEWS,
        is_verified=True,
    ),
    "ring-community-request": SourceFacts(
        title="Community Request (Ring Verified Help article for public-safety agencies)",
        publisher="Ring",
        authors="Ring",
        url="https://ring.com/support/verified-help/articles/5t05p/Community-Request",
        kind=Source.Kind.VENDOR,
        is_verified=True,
    ),
}

MOTHERBOARD_PUBLISHED = dt.date(2019, 8, 5)
SUMMARY = "Summary, not the source's words: "


def summary(text: str) -> str:
    """A citation note for what we know of a source only through our bibliography's summary of it."""
    return SUMMARY + text


MONTH = DatePrecision.MONTH

# Quotations from the Motherboard article of 5 August 2019, word for word.
MAYWOOD_PRAISED = (
    "“Seems like you wasted no time sending out your video Request out to Ring Users which is awesome!!” "
    "a Ring “Partner Success Associate” told Maywood police."
)
MAYWOOD_ADVISED = (
    "The Ring employee advised them to pair all video requests through the Law Enforcement Neighborhood "
    "Portal with a public post on the Neighbors app."
)
BLOOMFIELD_PORTAL = (
    "A Ring representative emailed three Bloomfield police officers on May 1 asking whether they needed "
    "help using the Law Enforcement Neighborhood Portal."
)
BLOOMFIELD_OPT_IN = (
    "“You are doing a great job interacting with them and that will be critical in increasing the opt-in rate.”"
)
ADDISON_GUIDE = (
    "A Ring “Best Practices” guide obtained by Motherboard from the Addison, IL police department explicitly "
    "says as much on a page titled “Driving Neighbors App Downloads.”"
)
ADDISON_PORTAL_ALERTS = "“Grow your audience to create a bigger impact when posting Portal Alerts,” the document says."
FRESNO_COUNTY_RING = "We are working with the Fresno County Sheriff’s Office to ensure this is understood."
NJ1015_NOTE = summary(
    "lists the 31 New Jersey municipalities (incl. Maywood and Bloomfield) "
    "shown on the Washington Post's August 2019 partnership map."
)

PLACES: tuple[PlaceFacts, ...] = (
    PlaceFacts(
        name="Maywood",
        kind=Place.Kind.BOROUGH,
        state="NJ",
        ocd_id="ocd-division/country:us/state:nj/place:maywood",
        census_geoid="3444880",
        county_name="Bergen County",
        zip_code="07607",
        agency=AgencyFacts(
            name="Maywood Police Department",
            kind=Agency.Kind.POLICE,
            partnership=PartnershipFacts(
                how_known=(
                    "Maywood police e-mails with Ring, obtained by Motherboard (5 August 2019): a Ring Partner "
                    "Success Associate praised the department for sending a video request to Ring users, and in "
                    "April (year not stated; before August 2019) advised pairing every request through the Law "
                    "Enforcement Neighborhood Portal with a public Neighbors post. New Jersey 101.5 lists Maywood "
                    "among the New Jersey departments on the Washington Post's August 2019 partnership map. When "
                    "the department joined is not reported."
                ),
                citations=(
                    CitationFacts("motherboard-coaching", quote=MAYWOOD_PRAISED),
                    CitationFacts("motherboard-coaching", quote=MAYWOOD_ADVISED),
                    CitationFacts("nj1015-31-departments", note=NJ1015_NOTE),
                ),
            ),
        ),
        documented=StatusFacts(
            title="Motherboard publishes Maywood police e-mails with Ring's coaching on footage requests",
            occurred_on=MOTHERBOARD_PUBLISHED,
            citations=(CitationFacts("motherboard-coaching", quote=MAYWOOD_PRAISED),),
        ),
    ),
    PlaceFacts(
        name="Bloomfield",
        kind=Place.Kind.TOWNSHIP,
        state="NJ",
        ocd_id="ocd-division/country:us/state:nj/county:essex/place:bloomfield",
        census_geoid="3401306260",
        county_name="Essex County",
        zip_code="07003",
        agency=AgencyFacts(
            name="Bloomfield Police Department",
            kind=Agency.Kind.POLICE,
            partnership=PartnershipFacts(
                how_known=(
                    "Bloomfield police e-mails with Ring, obtained by Motherboard and also posted by Wired "
                    "(Motherboard, 5 August 2019): on May 1 a Ring representative asked three officers whether they "
                    "needed help using the Law Enforcement Neighborhood Portal, and on May 31 the Detective Bureau "
                    "Commander asked how to get more Ring owners to share footage (year not stated; before August "
                    "2019). New Jersey 101.5 lists Bloomfield among the New Jersey departments on the Washington "
                    "Post's August 2019 partnership map. When the department joined is not reported."
                ),
                citations=(
                    CitationFacts("motherboard-coaching", quote=BLOOMFIELD_PORTAL),
                    CitationFacts("motherboard-coaching", quote=BLOOMFIELD_OPT_IN),
                    CitationFacts("nj1015-31-departments", note=NJ1015_NOTE),
                ),
            ),
        ),
        documented=StatusFacts(
            title="Motherboard publishes Bloomfield police e-mails with Ring about the Neighborhood Portal",
            occurred_on=MOTHERBOARD_PUBLISHED,
            citations=(CitationFacts("motherboard-coaching", quote=BLOOMFIELD_PORTAL),),
        ),
    ),
    PlaceFacts(
        name="Addison",
        kind=Place.Kind.VILLAGE,
        state="IL",
        ocd_id="ocd-division/country:us/state:il/place:addison",
        census_geoid="1700243",
        county_name="DuPage County",
        zip_code="60101",
        agency=AgencyFacts(
            name="Addison Police Department",
            kind=Agency.Kind.POLICE,
            partnership=PartnershipFacts(
                how_known=(
                    'Motherboard (5 August 2019) obtained Ring\'s "Best Practices" guide from the Addison, IL '
                    "police department; it tells police how to drive Neighbors app downloads and to grow their "
                    "audience before posting Portal Alerts. The guide itself was not seen by us; when the "
                    "department joined is not reported."
                ),
                citations=(
                    CitationFacts("motherboard-coaching", quote=ADDISON_GUIDE),
                    CitationFacts("motherboard-coaching", quote=ADDISON_PORTAL_ALERTS),
                ),
            ),
        ),
        documented=StatusFacts(
            title="Motherboard reports Ring's “Best Practices” guide obtained from Addison police",
            occurred_on=MOTHERBOARD_PUBLISHED,
            citations=(CitationFacts("motherboard-coaching", quote=ADDISON_GUIDE),),
        ),
    ),
    PlaceFacts(
        name="Fresno County",
        kind=Place.Kind.COUNTY,
        state="CA",
        ocd_id="ocd-division/country:us/state:ca/county:fresno",
        census_geoid="06019",
        county_name="Fresno County",
        zip_code="93721",  # downtown Fresno, the county seat
        agency=AgencyFacts(
            name="Fresno County Sheriff's Office",
            kind=Agency.Kind.SHERIFF,
            partnership=PartnershipFacts(
                how_known=(
                    "After GovTech reported that police can obtain Ring footage directly from Amazon, a Ring "
                    'spokesperson told Motherboard (5 August 2019) that Ring was "working with the Fresno County '
                    "Sheriff's Office\" so that its rules on footage demands were understood. This shows a working "
                    "relationship about footage requests; the article does not name the program (the Neighbors "
                    "Portal was Ring's police footage-request program in 2019), and when the office joined is not "
                    "reported. GovTech's own report was not seen by us."
                ),
                citations=(
                    CitationFacts(
                        "motherboard-coaching",
                        quote=FRESNO_COUNTY_RING,
                        note="A Ring spokesperson, in an e-mail to Motherboard.",
                    ),
                ),
            ),
        ),
        documented=StatusFacts(
            title="Ring tells Motherboard it is working with the Fresno County Sheriff's Office on footage requests",
            occurred_on=MOTHERBOARD_PUBLISHED,
            citations=(CitationFacts("motherboard-coaching", quote=FRESNO_COUNTY_RING),),
        ),
    ),
    PlaceFacts(
        name="Topeka",
        kind=Place.Kind.CITY,
        state="KS",
        ocd_id="ocd-division/country:us/state:ks/place:topeka",
        census_geoid="2071000",
        county_name="Shawnee County",
        zip_code="66603",
        agency=AgencyFacts(
            name="Topeka Police Department",
            kind=Agency.Kind.POLICE,
            partnership=PartnershipFacts(
                how_known=(
                    "Topeka police records obtained by Motherboard (August 2019) include a Ring spreadsheet of 46 "
                    "standardized comments for officers to post, encouraging residents to share footage and "
                    "download Neighbors. When the department joined is not reported."
                ),
                citations=(
                    CitationFacts(
                        "motherboard-scripts",
                        note=summary(
                            "Topeka KS police records include a Ring spreadsheet of 46 "
                            "standardized comments officers can post, encouraging residents to share footage "
                            "and download Neighbors."
                        ),
                    ),
                ),
            ),
        ),
        documented=StatusFacts(
            title="Motherboard publishes Ring's scripted comments from Topeka police records",
            occurred_on=dt.date(2019, 8, 1),
            precision=MONTH,
            citations=(CitationFacts("motherboard-scripts", note="Topeka police records obtained by Motherboard."),),
        ),
    ),
    PlaceFacts(
        name="Chula Vista",
        kind=Place.Kind.CITY,
        state="CA",
        ocd_id="ocd-division/country:us/state:ca/place:chula_vista",
        census_geoid="0613392",
        county_name="San Diego County",
        zip_code="91910",
        agency=AgencyFacts(
            name="Chula Vista Police Department",
            kind=Agency.Kind.POLICE,
            partnership=PartnershipFacts(
                how_known=(
                    "Public-records documents reported by CNET (August 2019): Ring courted the Chula Vista police "
                    "for over a year with discounts and peer pressure before the department joined Neighbors in "
                    "May 2019."
                ),
                started_on=dt.date(2019, 5, 1),
                started_precision=MONTH,
                citations=(
                    CitationFacts(
                        "cnet-chula-vista",
                        note=summary(
                            "FOIA documents show Ring courted the Chula Vista CA police for "
                            "over a year with discounts and peer pressure before it joined Neighbors in May 2019."
                        ),
                    ),
                ),
            ),
        ),
        documented=StatusFacts(
            title="CNET reports how Ring brought the Chula Vista police into Neighbors",
            occurred_on=dt.date(2019, 8, 1),
            precision=MONTH,
            citations=(CitationFacts("cnet-chula-vista", note="Joined Neighbors in May 2019."),),
        ),
    ),
    PlaceFacts(
        name="Los Angeles",
        kind=Place.Kind.CITY,
        state="CA",
        ocd_id="ocd-division/country:us/state:ca/place:los_angeles",
        census_geoid="0644000",
        county_name="Los Angeles County",
        zip_code="90012",
        agency=AgencyFacts(
            name="Los Angeles Police Department",
            kind=Agency.Kind.POLICE,
            partnership=PartnershipFacts(
                how_known=(
                    "LAPD e-mails obtained by the Electronic Frontier Foundation (report of 16 February 2021): "
                    "the LAPD joined Ring in May 2019, and at least one of its footage requests was tied to the "
                    "summer-2020 protests."
                ),
                started_on=dt.date(2019, 5, 1),
                started_precision=MONTH,
                citations=(
                    CitationFacts(
                        "eff-lapd-report",
                        note=summary(
                            "LAPD emails obtained by EFF show at least one Ring footage "
                            "request tied to summer-2020 protests; LAPD joined Ring in May 2019."
                        ),
                    ),
                ),
            ),
        ),
        documented=StatusFacts(
            title="EFF publishes LAPD e-mails showing Ring footage requests during the 2020 protests",
            occurred_on=dt.date(2021, 2, 16),
            citations=(CitationFacts("eff-lapd-report", note="LAPD joined Ring in May 2019."),),
        ),
        officials=(
            OfficialFacts(
                name="Karen Bass",
                office=Official.Office.MAYOR,
                term_start=dt.date(2022, 12, 12),
                term_end=dt.date(2026, 12, 11),
                phone="213-978-0600",
                provenance=(
                    "Open States people (CC0), commit 934bf09, "
                    "data/ca/municipalities/Karen-Bass-05bfbd24-9dc6-4fbb-9ae9-ecd2446eb7f7.yml"
                ),
            ),
        ),
    ),
    PlaceFacts(
        name="Chicago",
        kind=Place.Kind.CITY,
        state="IL",
        ocd_id="ocd-division/country:us/state:il/place:chicago",
        census_geoid="1714000",
        county_name="Cook County",
        zip_code="60602",
        agency=AgencyFacts(
            name="Chicago Police Department",
            kind=Agency.Kind.POLICE,
            partnership=PartnershipFacts(
                how_known=(
                    "A Chicago Police Department notice dated 1 October 2020 sets up a pilot of the Ring Neighbors "
                    "for Law Enforcement Portal in the 012th and 022nd districts, with procedures for requesting "
                    "footage. The start is given to the month of the notice; the day the pilot began is not stated."
                ),
                started_on=dt.date(2020, 10, 1),
                started_precision=MONTH,
                citations=(
                    CitationFacts(
                        "chicago-pd-notice",
                        note="The department's own notice establishing its participation in the Ring portal.",
                    ),
                ),
            ),
        ),
        documented=StatusFacts(
            title="Chicago police issue a notice on the Ring Neighbors portal pilot in two districts",
            occurred_on=dt.date(2020, 10, 1),
            citations=(CitationFacts("chicago-pd-notice", note="The department's own notice, dated 1 October 2020."),),
        ),
        officials=(
            OfficialFacts(
                name="Brandon Johnson",
                office=Official.Office.MAYOR,
                term_start=dt.date(2023, 5, 15),
                term_end=dt.date(2027, 5, 16),
                phone="312-744-9500",
                provenance=(
                    "Open States people (CC0), commit 934bf09, "
                    "data/il/municipalities/Brandon-Johnson-53d852f6-5c1f-47d4-861d-1505dae7f07c.yml"
                ),
            ),
        ),
    ),
    PlaceFacts(
        name="Tigard",
        kind=Place.Kind.CITY,
        state="OR",
        ocd_id="ocd-division/country:us/state:or/place:tigard",
        census_geoid="4173650",
        county_name="Washington County",
        zip_code="97223",  # USPS lists Tigard as an acceptable city name for it
        agency=AgencyFacts(
            name="Tigard Police Department",
            kind=Agency.Kind.POLICE,
            partnership=PartnershipFacts(
                how_known=(
                    "The City of Tigard's signed Ring/Neighbors agency acknowledgement form of March 2020 (public "
                    "records) states that Ring will add the agency to its public Active Agency Map."
                ),
                started_on=dt.date(2020, 3, 1),
                started_precision=MONTH,
                citations=(
                    CitationFacts(
                        "tigard-acknowledgement",
                        note=summary(
                            "signed Ring/Neighbors agency acknowledgement form stating Ring "
                            "will add the agency to its public Active Agency Map."
                        ),
                    ),
                ),
            ),
        ),
        documented=StatusFacts(
            title="Tigard signs Ring's Neighbors agency acknowledgement form",
            occurred_on=dt.date(2020, 3, 1),
            precision=MONTH,
            citations=(CitationFacts("tigard-acknowledgement", note="The city's signed form, March 2020."),),
        ),
    ),
)
