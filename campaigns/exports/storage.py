"""Where export files live: a storage of their own, outside MEDIA_ROOT and without any URL."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, Storage, storages

STORAGE_ALIAS = "signature_exports"


class UnservedFileSystemStorage(FileSystemStorage):
    """Files no URL reaches: they leave only through a view that checks who is asking."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Signature exports have no URL; the owners' download view reads them.")


def export_storage() -> Storage:
    return storages[STORAGE_ALIAS]
