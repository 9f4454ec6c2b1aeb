"""The photo of a visit: checked by its content, re-encoded, kept, and shown inside scope only.

The phone scales a photo down to about 1600 pixels before it sends it. The server takes no
more than :data:`PHOTO_LIMITS` (the upload guard refuses a larger body before reading it),
opens it with Pillow to be sure it is a picture, and keeps it re-encoded as a JPEG: nothing
of the file itself (its EXIF block, the camera's own GPS tag, whatever else it carried) is
stored or served. A photo shows a household at home, so each showing is audited as a view
of personal data.
"""

import hashlib
import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Forbidden, InvalidValue, NotFound
from yunong.core.files import MB, FileLimits
from yunong.core.scope import Scope
from yunong.monitor import access
from yunong.monitor.models import Visit, VisitPhoto

PHOTO_LIMITS = FileLimits(max_bytes=5 * MB)
"""A phone's photo scaled to 1600 pixels is well under 1 MB; an unscaled one may reach this."""
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
"""What Pillow finds inside the file, not what its name says."""
LONGEST_SIDE = 1600
MAX_PIXELS = 50_000_000
"""A 50-megapixel camera's photo; a decompression bomb declares far more."""
QUALITY = 82
UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)
"""What Pillow raises for a file it cannot read as a picture."""


@dataclass(frozen=True)
class Photo:
    """A picture as it is stored: a JPEG without metadata, and its size in pixels."""

    content: bytes
    width: int
    height: int


def normalise(path: Path) -> Photo:
    """The picture at ``path`` upright, at most :data:`LONGEST_SIDE` pixels on its longer
    side, as a JPEG without metadata; refused unless it is a JPEG, PNG or WebP picture."""
    kind, width, height = probe(path)
    if kind not in FORMATS:
        raise not_a_photo(path.name)
    if width * height > MAX_PIXELS:
        raise InvalidValue(
            f"照片“{path.name}”有 {width}×{height} 像素，超过 {MAX_PIXELS // 1_000_000} "
            "百万像素的上限，未保存"
        )
    try:
        with Image.open(path) as image:
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except UNREADABLE:
        raise not_a_photo(path.name) from None
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    encoded = io.BytesIO()
    picture.save(encoded, "JPEG", quality=QUALITY, optimize=True)
    return Photo(encoded.getvalue(), picture.width, picture.height)


def probe(path: Path) -> tuple[str | None, int, int]:
    """The format Pillow finds in the file and the size it declares, read without decoding
    the pixels; the whole file is checked for damage."""
    try:
        with Image.open(path) as image:
            found = image.format, *image.size
            image.verify()  # a truncated or doctored file fails here
    except UNREADABLE:
        raise not_a_photo(path.name) from None
    return found


def not_a_photo(name: str) -> InvalidValue:
    return InvalidValue(f"文件“{name}”不是可识别的照片：请上传 {'、'.join(FORMATS.values())} 图片")


def get_visit(session: Session, *, scope: Scope, client_key: str) -> Visit:
    """The visit the phone knows by its key, inside the caller's scope."""
    access.require_reader(scope)
    visit = session.scalars(select(Visit).where(Visit.client_key == client_key.strip())).first()
    if visit is None:
        raise NotFound(f"走访记录“{client_key}”不存在或不在您的管辖范围内")
    scope.check_read(visit.village_code, f"走访记录“{client_key}”")
    return visit


def check_may_attach(session: Session, *, scope: Scope, client_key: str) -> Visit:
    """Refuse unless the caller recorded the visit and may still write in its village; run
    before a byte of the photo is read."""
    visit = get_visit(session, scope=scope, client_key=client_key)
    scope.check_write(visit.village_code, f"走访记录“{client_key}”")
    access.require_role(scope, access.VISITORS, "走访照片")
    if not access.is_system(scope) and visit.visitor != scope.actor:
        raise Forbidden(f"这条走访由 {visit.visitor} 登记，只有登记人能添加照片")
    return visit


def attach(session: Session, *, scope: Scope, client_key: str, photo: Photo) -> VisitPhoto:
    """Keep ``photo`` as the visit's one photo; sent again (the answer was lost), it replaces
    the one stored, so a resend changes nothing."""
    visit = check_may_attach(session, scope=scope, client_key=client_key)
    stored = session.get(VisitPhoto, visit.id)
    if stored is None:
        stored = VisitPhoto(visit_id=visit.id)
        session.add(stored)
    stored.content, stored.width, stored.height = photo.content, photo.width, photo.height
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="monitor.visit_photo",
        target_type="monitor_visit",
        target_id=visit.id,
        region_code=visit.village_code,
        after={"sha256": hashlib.sha256(photo.content).hexdigest(), "bytes": len(photo.content)},
        detail=f"走访照片 {photo.width}×{photo.height}",
    )
    return stored


def get(session: Session, *, scope: Scope, visit_id: int) -> VisitPhoto:
    """A visit's photo for someone who may see the household; each showing is audited."""
    access.require_reader(scope)
    visit = session.get(Visit, visit_id)
    missing = f"走访 {visit_id} 的照片"
    if visit is None:
        raise NotFound(f"{missing}不存在或不在您的管辖范围内")
    scope.check_read(visit.village_code, missing)
    photo = session.get(VisitPhoto, visit_id)
    if photo is None:
        raise NotFound(f"{missing}不存在或不在您的管辖范围内")
    audit.record(
        session,
        scope=scope,
        action="monitor.visit_photo.view",
        target_type="monitor_visit",
        target_id=visit.id,
        region_code=visit.village_code,
        detail="查看走访照片",
    )
    return photo


def with_photos(session: Session, visit_ids: Collection[int]) -> set[int]:
    """Which of the visits (read through the caller's scope) have a photo."""
    if not visit_ids:
        return set()
    query = select(VisitPhoto.visit_id).where(VisitPhoto.visit_id.in_(visit_ids))
    return set(session.scalars(query))
