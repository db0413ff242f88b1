"""Letters to officials: a letter drive, each supporter's letter, one delivery per letter and official,
and the positions officials record.

A Letter is what one supporter wrote (their edited text, held encrypted); a LetterDelivery is that
letter for one official, unique per (letter, official), pointing at the outbox message that carried
it (alone, or in a digest). Delivered and bounced are read from that message, never copied.

OfficialPosition is what briefings and the tracker read: one row per statement an official made
through their private link (or an organizer recorded), the latest one being their position.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.officials import Official
from campaigns.models.petitions import Review
from privacy.fields import EncryptedTextField

# Offices a letter drive writes to unless told otherwise; the mayor joins only with include_mayor.
DEFAULT_TARGET_OFFICES = [Official.Office.COUNCIL_MEMBER.value, Official.Office.COUNCIL_PRESIDENT.value]


def default_target_offices() -> list[str]:
    return list(DEFAULT_TARGET_OFFICES)


class DeliveryMode(models.TextChoices):
    INDIVIDUAL = "individual", _("each letter on its own")
    DIGEST = "digest", _("one daily digest per official")


class LetterCampaign(models.Model):
    """A letter drive of a campaign: the prefilled letter, who it goes to and how."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="letter_campaigns")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    # Placeholders (campaigns.letters.placeholders): {{ supporter_name }}, {{ place }},
    # {{ official_name }}, {{ official_office }}. Nothing else is ever evaluated.
    subject_template = models.CharField(max_length=200)
    body_template = models.TextField(help_text="The letter supporters start from and may edit.")
    # One place, or every place the campaign tracks when empty.
    place = models.ForeignKey("campaigns.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_offices = models.JSONField(default=default_target_offices, help_text="Official.Office values written to.")
    include_mayor = models.BooleanField(default=False)
    delivery_mode = models.CharField(max_length=12, choices=DeliveryMode.choices, default=DeliveryMode.INDIVIDUAL)
    # Letters to one official in one hour beyond this wait for the next daily digest; empty: no cap.
    hourly_cap_per_official = models.PositiveIntegerField(null=True, blank=True)
    held_words = models.TextField(blank=True, help_text="One word or phrase a line: letters with one wait for review.")
    consent_version = models.CharField(max_length=40, default="2026-11")
    is_open = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("campaign", "title")
        constraints = [models.UniqueConstraint(fields=["campaign", "slug"], name="letter_campaign_slug_per_campaign")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title

    @property
    def held_word_list(self) -> list[str]:
        return [line.strip().lower() for line in self.held_words.splitlines() if line.strip()]


class LettersSee(models.TextChoices):
    NAME_CITY = "name_city", _("my name and city")
    NAME_ADDRESS = "name_address", _("my name and full address")


class LetterQuerySet(models.QuerySet["Letter"]):
    def counted(self) -> LetterQuerySet:
        """What public figures and briefings count: confirmed and not held or rejected."""
        return self.filter(confirmed_at__isnull=False, review=Review.ACCEPTED)


class Letter(models.Model):
    letter_campaign = models.ForeignKey(LetterCampaign, on_delete=models.CASCADE, related_name="letters")
    # PROTECT: erasure empties the supporter and the text and keeps the row, so the letter stays a count.
    supporter = models.ForeignKey("supporters.Supporter", on_delete=models.PROTECT, related_name="letters")
    place = models.ForeignKey("campaigns.Place", on_delete=models.PROTECT, related_name="letters")
    subject = EncryptedTextField(blank=True, default="")
    body = EncryptedTextField(blank=True, default="")
    officials_see = models.CharField(max_length=20, choices=LettersSee.choices, default=LettersSee.NAME_CITY)
    email_updates = models.BooleanField(default=False, help_text="Consented to e-mail updates about the campaign.")
    consent_version = models.CharField(max_length=40)
    consented_at = models.DateTimeField(default=timezone.now)
    # Where the writer came from: a shared link's ?ref= or a partner's embedded form (as on signatures).
    referrer = models.CharField(max_length=40, blank=True)
    confirmation = models.ForeignKey(
        "supporters.Confirmation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.ACCEPTED)
    flags = models.JSONField(default=list, blank=True, help_text="Why the letter was held (link, word, similarity…).")
    # Set when delivery was planned and no current official could receive it: kept, and reported.
    no_official_at = models.DateTimeField(null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    ip_hash = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: purged)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[LetterQuerySet] = LetterQuerySet.as_manager()  # type: ignore[assignment]

    audit_label = "letter"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["letter_campaign", "supporter"], name="one_letter_per_supporter")
        ]
        indexes = [
            models.Index(fields=["confirmation"], name="letter_confirmation"),
            # The dashboard's letters per day and per referrer code: a range of confirmed letters of a drive.
            models.Index(fields=["letter_campaign", "-confirmed_at"], name="letter_recent_confirmed"),
            models.Index(fields=["place", "letter_campaign"], name="letter_by_place"),
            models.Index(fields=["review", "created_at"], name="letter_held", condition=models.Q(review="held")),
            models.Index(fields=["created_at"], name="letter_ip_hash_age", condition=models.Q(ip_hash__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"letter {self.pk} in {self.letter_campaign_id}"

    @property
    def is_counted(self) -> bool:
        return self.confirmed_at is not None and self.review == Review.ACCEPTED


class LetterDelivery(models.Model):
    class Route(models.TextChoices):
        INDIVIDUAL = "individual", _("on its own")
        DIGEST = "digest", _("in the daily digest")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="letter_deliveries")
    route = models.CharField(max_length=12, choices=Route.choices)
    # The day (in the campaign's time zone) whose digest carries it; null for an individual one.
    digest_day = models.DateField(null=True, blank=True)
    # The outbox message that carries it; null while it waits for its digest.
    message = models.ForeignKey(
        "emails.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_at = models.DateTimeField(null=True, blank=True, help_text="When its message was written to the outbox.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "letter deliveries"
        constraints = [models.UniqueConstraint(fields=["letter", "official"], name="one_delivery_per_letter_official")]
        indexes = [
            models.Index(fields=["official", "handed_at"], name="delivery_official_hour"),
            models.Index(
                fields=["digest_day", "official"], name="delivery_waiting", condition=models.Q(message__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"letter {self.letter_id} to official {self.official_id}"


class Position(models.TextChoices):
    SUPPORTS_ENDING = "supports_ending", _("supports ending the partnership")
    OPPOSES = "opposes", _("opposes ending the partnership")
    UNDECIDED = "undecided", _("undecided")


class OfficialPositionQuerySet(models.QuerySet["OfficialPosition"]):
    def latest_per_official(self) -> OfficialPositionQuerySet:
        """Each official's current position (their latest statement), PostgreSQL or not."""
        newest = OfficialPosition.objects.filter(official=models.OuterRef("official")).order_by("-recorded_at", "-pk")
        return self.filter(pk=models.Subquery(newest.values("pk")[:1]))


class OfficialPosition(models.Model):
    """What an official said about ending the partnership; the latest row per official is their position."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="official_positions")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="positions")
    position = models.CharField(max_length=20, choices=Position.choices)
    statement = models.CharField(max_length=1000, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    # "link": the official through their private link; otherwise who recorded it.
    recorded_via = models.CharField(max_length=100, default="link")
    # The place's timeline event that reports it: its evidence is this record, not a cited document.
    timeline_event = models.OneToOneField(
        "campaigns.TimelineEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="recorded_position"
    )

    objects: ClassVar[OfficialPositionQuerySet] = OfficialPositionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-recorded_at", "-pk")
        indexes = [models.Index(fields=["official", "-recorded_at"], name="position_latest")]

    def __str__(self) -> str:
        return f"{self.official_id}: {self.position}"

    @property
    def audit_label(self) -> str:
        return str(self)
