"""Download links for finished exports: signed, short-lived, and each use written to the audit trail.

A link alone opens nothing: the view behind it also needs an owner of the campaign (checked on
each download), so a forwarded or leaked link is useless to anyone else, and to an owner
once they are no longer one.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from accounts import audit
from accounts.models import User
from campaigns.exports.storage import export_storage
from campaigns.models import Signature, SignatureExport
from emails import links

LINK_LIFETIME = dt.timedelta(hours=1)
_PURPOSE = "signature-export"


def download_token(export: SignatureExport) -> str:
    return links.sign(_PURPOSE, {"export": export.pk})


def check_token(export: SignatureExport, token: str) -> None:
    """Raises links.LinkInvalid (tampered, or another export's) or links.LinkExpired."""
    payload = links.unsign(_PURPOSE, token, max_age=LINK_LIFETIME)
    if payload.get("export") != export.pk:
        raise links.LinkInvalid("the link is for another export")


def open_for_download(export: SignatureExport, *, actor: User, via: str) -> IO[Any]:
    """The file, opened for reading; the personal data it holds is now read, so it is audited."""
    file = export_storage().open(export.file_name, "rb")
    audit.record_personal_data_read(
        actor=actor,
        via=via,
        model=Signature,
        campaign_id=export.campaign_id,
        filters={"signature_export": export.pk, **export.filters},
        row_count=export.row_count or 0,
        export=True,
    )
    return file
