"""Files that take long to make (the assessment report's PDF took 33–59 s for the city),
kept under the var dir and made again only when what they show has changed.

A file is kept in a *slot* (what it is: the report of one period, for one scope and
language) under a *version* (a fingerprint of everything it shows). Asking for the slot
with the same version hands back the file already made; a new version makes a new file
and deletes the slot's older ones. Only one process or thread makes a slot's file at a
time: a second request waits on the slot's lock (``flock``, so the server's worker
processes wait on each other too) and then finds the file made.
"""

import fcntl
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SLOT = re.compile(r"^[A-Za-z0-9_-]+$")
"""Slot names: no dots, so that ``<slot>.<version><suffix>`` names one slot only."""


def fingerprint(*parts: object) -> str:
    """A short, stable digest of ``parts`` by their ``repr`` (dataclasses, lists, numbers)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


class FileCache:
    """Made files in ``folder``, one version kept per slot."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, slot: str, version: str, suffix: str, make: Callable[[Path], None]) -> Path:
        """The slot's file of ``version``; made by ``make(path)`` unless it already is.

        The file is written under a temporary name and renamed when whole, so a reader
        never finds half a file."""
        if not SLOT.match(slot) or not version.isalnum():
            raise ValueError(f"unusable cache slot or version: {slot!r}, {version!r}")
        path = self.folder / f"{slot}.{version}{suffix}"
        if path.exists():
            return path
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.locked(slot):
            if not path.exists():
                part = self.folder / f"{slot}.{version}.part"
                try:
                    make(part)
                except BaseException:
                    part.unlink(missing_ok=True)
                    raise
                os.replace(part, path)
                self.prune(slot, suffix, keep=path)
        return path

    def files(self, slot: str, suffix: str) -> list[Path]:
        """The slot's made files (one, unless a download held an old one open)."""
        return sorted(self.folder.glob(f"{slot}.*{suffix}"))

    def prune(self, slot: str, suffix: str, keep: Path) -> None:
        """Delete the slot's older versions; a download still reading one keeps its copy
        open until it is done (the name goes, the file lives while open)."""
        for old in self.files(slot, suffix):
            if old != keep:
                old.unlink(missing_ok=True)

    @contextmanager
    def locked(self, slot: str) -> Iterator[None]:
        with open(self.folder / f"{slot}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
