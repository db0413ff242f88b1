"""Vendored npm builds are exactly the published files: name, version, licence and checksums."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDORED = {
    # folder: (npm package, version, licence)
    ROOT / "web" / "static" / "vendor" / "us-atlas": ("us-atlas", "3.0.1", "ISC"),
    ROOT / "tests" / "browser" / "vendor" / "axe-core": ("axe-core", "4.14.1", "MPL-2.0"),
}


@pytest.mark.parametrize("folder", list(VENDORED), ids=lambda folder: folder.name)
def test_each_vendored_file_matches_its_recorded_checksum(folder: Path):
    listed = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
    present = {path.name for path in folder.iterdir()} - {"SHA256SUMS"}

    assert set(listed) == present, "every vendored file, and nothing else, is listed in SHA256SUMS"
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("folder", list(VENDORED), ids=lambda folder: folder.name)
def test_each_vendored_package_says_its_name_version_and_licence(folder: Path):
    name, version, licence = VENDORED[folder]
    package = json.loads((folder / "package.json").read_text())

    assert (package["name"], package["version"], package["license"]) == (name, version, licence)
    assert (folder / "LICENSE").read_text().strip()
