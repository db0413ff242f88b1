from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaigns import Campaign
from campaigns.models.dates import check_partial_date, format_partial_date, precision_field


class Source(models.Model):
    """A document a claim rests on: a news report, a public record, a DocumentCloud document."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News report")
        PUBLIC_RECORD = "public_record", _("Public record")
        GOVERNMENT = "government", _("Government publication or page")
        MEETING = "meeting", _("Council agenda, minutes or video")
        VENDOR = "vendor", _("Vendor statement")
        ADVOCACY = "advocacy", _("Advocacy or research report")
        INTERNAL = "internal", _("Our own records")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=400)
    publisher = models.CharField(max_length=200, blank=True)
    authors = models.CharField(max_length=400, blank=True, help_text="Comma-separated, as credited.")
    published_on = models.DateField(null=True, blank=True)
    published_precision = precision_field()
    url = models.URLField(max_length=1000, blank=True)
    archived_url = models.URLField(max_length=1000, blank=True)
    documentcloud_id = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NEWS)
    retrieved_on = models.DateField(null=True, blank=True)
    is_verified = models.BooleanField(default=False, help_text="Someone checked the document says what we cite.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-published_on", "title")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title[:200]

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_SOURCE_KINDS

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_on, self.published_precision)

    def clean(self) -> None:
        check_partial_date(self.published_on, self.published_precision, field="published_on")
        if self.kind != self.Kind.INTERNAL and not (self.url or self.documentcloud_id or self.archived_url):
            raise ValidationError({"url": [_("A public source needs a URL, an archived URL or a DocumentCloud id.")]})


# Kinds that anyone can check: agenda, vote, ended and lost statuses need one of these.
PUBLIC_SOURCE_KINDS = frozenset(kind.value for kind in Source.Kind if kind != Source.Kind.INTERNAL)


class CitationQuerySet(models.QuerySet["Citation"]):
    def public(self) -> CitationQuerySet:
        return self.filter(source__kind__in=PUBLIC_SOURCE_KINDS)


class Citation(models.Model):
    """Where in a source a claim about a partnership, a timeline event or a place is found.

    Exactly one of partnership, event and place is set (a database constraint).
    """

    # RESTRICT, not PROTECT: a cited source stays, unless its citations go with it (a campaign deleted).
    source = models.ForeignKey(Source, on_delete=models.RESTRICT, related_name="citations")
    partnership = models.ForeignKey(
        "campaigns.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    event = models.ForeignKey(
        "campaigns.TimelineEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    place_status = models.ForeignKey(
        "campaigns.PlaceStatus", null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    locator = models.CharField(max_length=100, blank=True, help_text="Page or section, e.g. p. 4 or §2.")
    quote = models.TextField(blank=True, help_text="The words quoted, short.")
    note = models.TextField(blank=True)

    objects: ClassVar[CitationQuerySet] = CitationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("pk",)
        constraints = (
            models.CheckConstraint(
                condition=(
                    models.Q(partnership__isnull=False, event__isnull=True, place_status__isnull=True)
                    | models.Q(partnership__isnull=True, event__isnull=False, place_status__isnull=True)
                    | models.Q(partnership__isnull=True, event__isnull=True, place_status__isnull=False)
                ),
                name="citation_cites_exactly_one_thing",
            ),
        )

    def __str__(self) -> str:
        return f"{self.source} {self.locator}".strip()

    @property
    def audit_label(self) -> str:
        return str(self)[:200]
