"""Just enough of the gettext file formats to check a committed .mo against its .po, without gettext tools."""

from __future__ import annotations

import ast
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

CONTEXT_SEPARATOR = "\x04"  # how .mo files join msgctxt and msgid
PLURAL_SEPARATOR = "\x00"  # how .mo files join msgid/msgid_plural and the plural msgstrs


@dataclass
class PoEntry:
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Every form has a translation."""
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def compiled(self) -> bool:
        """Whether msgfmt (without --use-fuzzy, as compilemessages runs it) puts this entry in the .mo:
        any non-empty form will do, and the header (msgid "") goes in even when fuzzy."""
        return any(self.msgstr.values()) and (self.msgid == "" or not self.fuzzy)

    def mo_key(self) -> str:
        msgid = str(self.msgid)
        if self.msgid_plural is not None:
            msgid += PLURAL_SEPARATOR + self.msgid_plural
        return msgid if self.msgctxt is None else self.msgctxt + CONTEXT_SEPARATOR + msgid

    def mo_value(self) -> str:
        return PLURAL_SEPARATOR.join(self.msgstr[i] for i in sorted(self.msgstr))


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def read_po(path: Path) -> list[PoEntry]:
    """Entries in file order, obsolete (#~) ones left out, as msgfmt does."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    target: tuple[str, int] | None = None  # the field a continuation line extends

    def finish() -> None:
        nonlocal entry, target
        if entry.msgid is not None:
            entries.append(entry)
        entry, target = PoEntry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
            continue
        if line.startswith("#"):
            if entry.msgstr:  # a comment after a msgstr opens the next entry
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}: string continuation outside an entry: {raw!r}")
            _append(entry, target, ast.literal_eval(line))
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise ValueError(f"{path}: unreadable line: {raw!r}")
        keyword, index, text = match.groups()
        if keyword in ("msgctxt", "msgid") and entry.msgstr:
            finish()
        target = (keyword.split("[")[0], int(index or 0))
        _append(entry, target, ast.literal_eval(text), start=True)
    finish()
    return entries


def _append(entry: PoEntry, target: tuple[str, int], text: str, *, start: bool = False) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = ("" if start else entry.msgstr[index]) + text
    else:
        setattr(entry, name, ("" if start else getattr(entry, name)) + text)


def read_mo(path: Path) -> dict[str, str]:
    """Every original -> translation pair in a compiled catalog (the GNU .mo layout)."""
    data = path.read_bytes()
    for order in ("<", ">"):
        (magic,) = struct.unpack(order + "I", data[:4])
        if magic == 0x950412DE:
            break
    else:
        raise ValueError(f"{path}: not a .mo file")
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    catalog = {}
    for i in range(count):
        olen, ooff = struct.unpack(order + "2I", data[originals + 8 * i : originals + 8 * i + 8])
        tlen, toff = struct.unpack(order + "2I", data[translations + 8 * i : translations + 8 * i + 8])
        catalog[data[ooff : ooff + olen].decode("utf-8")] = data[toff : toff + tlen].decode("utf-8")
    return catalog


def expected_mo(entries: list[PoEntry]) -> dict[str, str]:
    """What msgfmt puts in the .mo for these entries, header normalised as in comparable_mo()."""
    return comparable_mo({e.mo_key(): e.mo_value() for e in entries if e.compiled})


def comparable_mo(catalog: dict[str, str]) -> dict[str, str]:
    """The catalog without the header's POT-Creation-Date, which GNU msgfmt >= 0.20 drops (so that
    builds are reproducible) and older ones keep: it says nothing about the translations."""
    if "" not in catalog:
        return catalog
    header = "".join(
        line for line in catalog[""].splitlines(keepends=True) if not line.startswith("POT-Creation-Date:")
    )
    return {**catalog, "": header}
