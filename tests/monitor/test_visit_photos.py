"""A visit's photo and position: the photo is checked by its content and kept as a JPEG
without the file's metadata, the position is kept as the phone gave it, only the visitor adds
a photo, and only those who may see the household see it, each time audited. The visitor is
told whose visit was sent and who acts next."""

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select

from tests.factories import add_user, make_place
from tests.monitor.factories import add_alert, add_household, family
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.monitor import opening, queue, visit_photos, visits
from yunong.policy import loader

PACK = loader.get()
DAY = date(2024, 6, 20)
SHIPING = visits.Position(latitude=30.80123, longitude=108.40456, accuracy_m=12)
"""Where the phone stood in 石坪村."""


def scope_of(region: str, role: Role, actor: str = "") -> Scope:
    return Scope(actor=actor or role.value, region_code=region, role=role.value)


def grid(place, actor: str = "grid_01") -> Scope:
    return scope_of(place.village, Role.GRID_WORKER, actor)


def camera_photo(path: Path, size=(3000, 2000), orientation: int = 1) -> Path:
    """A phone camera's JPEG: its EXIF names the camera, the place (GPS) and the orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "YunongPhone"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 48.0, 4.4)
    Image.new("RGB", size, (120, 160, 90)).save(path, "JPEG", exif=exif)
    return path


def visited(session, place, scope: Scope | None = None, **changes) -> tuple:
    made = add_household(session, village=place.village, number="1201", members=family())
    values = {
        "client_key": "phone-key-1201",
        "household_code": made.household.code,
        "visited_on": DAY,
        "note": "户主在家，房屋完好",
    } | changes
    visit, _ = visits.record_visit(
        session, scope=scope or grid(place), visit_in=visits.VisitIn(**values), pack=PACK, today=DAY
    )
    return made, visit


def test_a_camera_photo_is_kept_as_a_jpeg_of_1600_pixels_without_its_metadata(tmp_path):
    original = camera_photo(tmp_path / "IMG_0001.jpg")
    assert Image.open(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    photo = visit_photos.normalise(original)
    kept = Image.open(io.BytesIO(photo.content))
    assert (kept.format, kept.size, (photo.width, photo.height)) == (
        "JPEG",
        (1600, 1067),
        (1600, 1067),
    )
    assert dict(kept.getexif()) == {} and "exif" not in kept.info


def test_a_photo_taken_with_the_phone_turned_is_kept_upright(tmp_path):
    turned = camera_photo(tmp_path / "IMG_0002.jpg", size=(800, 600), orientation=6)
    photo = visit_photos.normalise(turned)
    assert (photo.width, photo.height) == (600, 800)


def test_a_png_screenshot_is_kept_as_a_jpeg(tmp_path):
    path = tmp_path / "截图.png"
    Image.new("RGBA", (400, 300), (10, 20, 30, 128)).save(path)
    assert Image.open(io.BytesIO(visit_photos.normalise(path).content)).format == "JPEG"


def test_a_file_named_like_a_photo_but_not_a_picture_is_refused(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_text("<script>alert(1)</script>", encoding="utf-8")
    with pytest.raises(InvalidValue, match="不是可识别的照片"):
        visit_photos.normalise(path)


def test_a_picture_in_a_format_other_than_jpeg_png_or_webp_is_refused(tmp_path):
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (40, 30)).save(path, "GIF")
    with pytest.raises(InvalidValue, match="JPEG、PNG、WebP"):
        visit_photos.normalise(path)


def test_a_picture_of_more_pixels_than_any_camera_takes_is_refused(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (10_000, 6_000)).save(path)  # 60 megapixels in a few kilobytes
    assert path.stat().st_size < 100_000
    with pytest.raises(InvalidValue, match="超过 50 百万像素"):
        visit_photos.normalise(path)


def test_the_visitor_adds_a_photo_and_sending_it_again_keeps_one(session, tmp_path):
    place = make_place(session)
    _, visit = visited(session, place)
    photo = visit_photos.normalise(camera_photo(tmp_path / "IMG_0003.jpg"))
    for _ in range(2):
        visit_photos.attach(session, scope=grid(place), client_key="phone-key-1201", photo=photo)
    town = scope_of(place.town, Role.TOWN_OFFICER)
    assert visit_photos.get(session, scope=town, visit_id=visit.id).content == photo.content


def test_only_the_visitor_adds_a_photo_to_a_visit(session, tmp_path):
    place = make_place(session)
    visited(session, place)
    photo = visit_photos.normalise(camera_photo(tmp_path / "IMG_0004.jpg"))
    with pytest.raises(Forbidden, match="只有登记人能添加照片"):
        visit_photos.attach(
            session, scope=grid(place, "grid_02"), client_key="phone-key-1201", photo=photo
        )


def test_a_village_cadre_of_the_next_village_cannot_fetch_the_photo(session, tmp_path):
    place = make_place(session)
    _, visit = visited(session, place)
    photo = visit_photos.normalise(camera_photo(tmp_path / "IMG_0005.jpg"))
    visit_photos.attach(session, scope=grid(place), client_key="phone-key-1201", photo=photo)
    neighbour = scope_of(place.neighbour_village, Role.VILLAGE_CADRE)
    with pytest.raises(NotFound):
        visit_photos.get(session, scope=neighbour, visit_id=visit.id)


def test_a_bank_viewer_covering_the_village_cannot_fetch_the_photo(session, tmp_path):
    place = make_place(session)
    _, visit = visited(session, place)
    photo = visit_photos.normalise(camera_photo(tmp_path / "IMG_0006.jpg"))
    visit_photos.attach(session, scope=grid(place), client_key="phone-key-1201", photo=photo)
    with pytest.raises(Forbidden):
        visit_photos.get(
            session, scope=scope_of(place.district, Role.BANK_VIEWER), visit_id=visit.id
        )


def test_each_showing_of_a_photo_is_audited_as_a_view_of_personal_data(session, tmp_path):
    place = make_place(session)
    _, visit = visited(session, place)
    photo = visit_photos.normalise(camera_photo(tmp_path / "IMG_0007.jpg"))
    visit_photos.attach(session, scope=grid(place), client_key="phone-key-1201", photo=photo)
    visit_photos.get(session, scope=scope_of(place.town, Role.TOWN_OFFICER), visit_id=visit.id)
    viewed = session.scalars(
        select(AuditRecord).where(AuditRecord.action == "monitor.visit_photo.view")
    ).all()
    assert [(entry.actor, entry.target_id, entry.region_code) for entry in viewed] == [
        ("town_officer", str(visit.id), place.village)
    ]


def test_the_position_the_phone_gave_is_kept_with_the_visit(session):
    place = make_place(session)
    _, visit = visited(session, place, position=SHIPING)
    assert (visit.latitude, visit.longitude, visit.position_accuracy_m) == (30.80123, 108.40456, 12)


def test_a_visit_without_a_position_is_kept_without_one(session):
    place = make_place(session)
    _, visit = visited(session, place)
    assert (visit.latitude, visit.longitude, visit.position_accuracy_m) == (None, None, None)


def test_a_position_without_its_longitude_is_refused():
    with pytest.raises(InvalidValue, match="须同时有纬度和经度"):
        visits.position_of(30.8, None, 12)


def test_a_latitude_beyond_the_pole_is_refused(session):
    place = make_place(session)
    with pytest.raises(InvalidValue, match="纬度 95.0 应在 -90 至 90 之间"):
        visited(session, place, position=visits.Position(95.0, 108.4))


def test_the_verifying_visitor_is_told_the_village_reviews_next(session):
    place = make_place(session)
    add_user(session, "grid_01", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="1202", members=family())
    opening.open_case(
        session,
        scope=scope_of(place.village, Role.VILLAGE_CADRE, "cadre"),
        alert_id=add_alert(session, made).id,
        grid_worker="grid_01",
        pack=PACK,
        today=DAY,
    )
    visit_in = visits.VisitIn("phone-key-1202", made.household.code, DAY, verifies=True)
    visit, _ = visits.record_visit(
        session, scope=grid(place), visit_in=visit_in, pack=PACK, today=DAY
    )
    assert (
        visits.confirmation(session, scope=grid(place), visit=visit)
        == "已发送：张建国户（石坪村）的走访，待村级评议公示"
    )


def test_a_visit_finding_a_risk_tells_the_visitor_it_will_be_screened(session):
    place = make_place(session)
    _, visit = visited(session, place, risks_found=["因病"])
    assert visits.confirmation(session, scope=grid(place), visit=visit) == (
        "已发送：张建国户（石坪村）的走访，发现的风险已记为信号，筛查后由村干部派发核实"
    )


def test_the_visit_form_names_each_task_by_its_head_and_village(session):
    place = make_place(session)
    add_user(session, "grid_01", Role.GRID_WORKER, place.village)
    made = add_household(session, village=place.village, number="1203", members=family("周平"))
    opening.open_case(
        session,
        scope=scope_of(place.village, Role.VILLAGE_CADRE, "cadre"),
        alert_id=add_alert(session, made).id,
        grid_worker="grid_01",
        pack=PACK,
        today=DAY,
    )
    found = queue.visit_list(session, scope=grid(place))
    assert [task.name for task in found.tasks.values()] == ["周平户（石坪村）"]
    assert found.names[made.household.id] == "周平户（石坪村）"
