"""Files made once per version of their data: kept, shared by concurrent requests, pruned."""

import threading
import time
from pathlib import Path

import pytest

from yunong.core.file_cache import FileCache, fingerprint


def maker(log: Path, text: str, seconds: float = 0.0):
    """Writes ``text`` to the file asked for and a line to ``log`` for every file it makes."""

    def make(path: Path) -> None:
        with log.open("a") as lines:
            lines.write(f"{path.name}\n")
        time.sleep(seconds)
        path.write_text(text)

    return make


def test_a_file_asked_for_again_with_the_same_version_is_not_made_again(tmp_path):
    files, log = FileCache(tmp_path / "cache"), tmp_path / "made.log"
    first = files.get("report-2024", "v1", ".txt", maker(log, "一"))
    again = files.get("report-2024", "v1", ".txt", maker(log, "二"))
    assert first == again and again.read_text() == "一"
    assert len(log.read_text().splitlines()) == 1


def test_requests_at_the_same_time_make_the_file_once(tmp_path):
    files, log = FileCache(tmp_path / "cache"), tmp_path / "made.log"
    found: list[Path] = []
    requests = [
        threading.Thread(
            target=lambda: found.append(files.get("report", "v1", ".txt", maker(log, "一", 0.3)))
        )
        for _ in range(3)
    ]
    for request in requests:
        request.start()
    for request in requests:
        request.join()
    assert len(log.read_text().splitlines()) == 1
    assert len(set(found)) == 1 and found[0].read_text() == "一"


def test_a_new_version_makes_a_new_file_and_deletes_the_older_one(tmp_path):
    files, log = FileCache(tmp_path / "cache"), tmp_path / "made.log"
    old = files.get("report-2024", "v1", ".txt", maker(log, "一"))
    new = files.get("report-2024", "v2", ".txt", maker(log, "二"))
    assert new.read_text() == "二" and not old.exists()
    assert files.files("report-2024", ".txt") == [new]


def test_other_slots_keep_their_files(tmp_path):
    files, log = FileCache(tmp_path / "cache"), tmp_path / "made.log"
    district = files.get("report-2024-500101", "v1", ".txt", maker(log, "万州"))
    files.get("report-2024-500000", "v2", ".txt", maker(log, "全市"))
    assert district.read_text() == "万州"


def test_a_file_that_failed_to_be_made_leaves_nothing_and_is_made_at_the_next_request(tmp_path):
    files, log = FileCache(tmp_path / "cache"), tmp_path / "made.log"

    def failing(path: Path) -> None:
        path.write_text("半")
        raise RuntimeError("字体缺失")

    with pytest.raises(RuntimeError):
        files.get("report", "v1", ".txt", failing)
    assert [path.name for path in files.folder.iterdir() if path.suffix != ".lock"] == []
    assert files.get("report", "v1", ".txt", maker(log, "一")).read_text() == "一"


def test_a_slot_name_with_a_dot_or_a_path_is_refused(tmp_path):
    files = FileCache(tmp_path / "cache")
    for slot in ("../report", "report.2024", ""):
        with pytest.raises(ValueError):
            files.get(slot, "v1", ".txt", maker(tmp_path / "made.log", ""))


def test_the_fingerprint_follows_every_part():
    assert fingerprint({"value": 7.5}, "zh") == fingerprint({"value": 7.5}, "zh")
    assert fingerprint({"value": 7.5}, "zh") != fingerprint({"value": 7.6}, "zh")
    assert fingerprint({"value": 7.5}, "zh") != fingerprint({"value": 7.5}, "en")
