"""Photos sent with a public report or as evidence of points: checked, scaled and re-encoded
as a JPEG without metadata, within the same limits as the visits' and the tips' photos."""

import tempfile
from pathlib import Path
from typing import BinaryIO

from yunong.core.errors import InvalidValue
from yunong.monitor import visit_photos


def read(filename: str | None, content: BinaryIO) -> bytes | None:
    """The photo of an upload (``None`` when no file was chosen)."""
    if not filename:
        return None
    limit = visit_photos.PHOTO_LIMITS.max_bytes
    suffix = Path(filename).suffix.lower()
    if suffix not in visit_photos.SUFFIXES:
        raise InvalidValue("照片应为 JPEG、PNG 或 WebP 图片")
    data = content.read(limit + 1)
    if len(data) > limit:
        raise InvalidValue("照片超过 {mb} MB", mb=limit // (1024 * 1024))
    with tempfile.TemporaryDirectory(prefix="yunong-governance-") as folder:
        path = Path(folder) / ("photo" + suffix)
        path.write_bytes(data)
        return visit_photos.normalise(path).content
