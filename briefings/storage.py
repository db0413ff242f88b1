"""Where editions' PDFs and HTML live: Django's storage alias "briefings" (local disk or S3)."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, Storage, storages

STORAGE_ALIAS = "briefings"


class UnservedFileSystemStorage(FileSystemStorage):
    """Files no URL reaches: the appendix holds names, so PDFs leave only through views that check."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Briefings have no public URL; the organizers' and signed-link views read them.")


def briefing_storage() -> Storage:
    return storages[STORAGE_ALIAS]
