"""The xlsx template: downloaded with what is saved, uploaded back whole or not at all."""

import openpyxl
import pytest

from tests.assess.factories import PACK, WANZHOU, officer
from tests.factories import make_place
from yunong.assess import datasets, importers
from yunong.assess.datasets import Entry, Refused
from yunong.core.tabular import write_workbook

pytestmark = pytest.mark.db
wanzhou = officer(WANZHOU)


def template(session, path, period=2024):
    importers.write_template(
        session, path, scope=wanzhou, pack=PACK, period=period, region_code=WANZHOU
    )
    return path


def fill(path, values):
    """Type ``values`` ({indicator id: value}) into the 数值 column, as an officer would."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        key = row[headers.index("指标标识")].value
        if key in values:
            row[headers.index("数值")].value = values[key]
    workbook.save(path)


def upload(session, path, period=2024):
    return importers.upload(
        session, path, scope=wanzhou, pack=PACK, period=period, region_code=WANZHOU
    )


def test_the_template_lists_every_item_with_its_unit_and_frozen_headers(session, tmp_path):
    make_place(session)
    path = template(session, tmp_path / "万州.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.freeze_panes == "A2"
    rows = {row[3]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["grain_sown_area"][4:9] == ("粮食播种面积", "一、", "万亩", "0—5000", "≥3012")
    assert "agricultural_technology_contribution" not in rows  # the city reports it


def test_an_uploaded_template_saves_its_values_and_a_second_upload_changes_nothing(
    session, tmp_path
):
    make_place(session)
    path = template(session, tmp_path / "万州.xlsx")
    fill(path, {"grain_sown_area": 95.5, "rural_income_growth": "7.2%"})
    first = upload(session, path)
    second = upload(session, path)
    assert (first.inserted, second.inserted, second.updated, second.unchanged) == (2, 0, 0, 2)


def test_the_downloaded_template_carries_the_saved_values(session, tmp_path):
    make_place(session)
    datasets.save(
        session, scope=wanzhou, pack=PACK, period=2024, region_code=WANZHOU,
        entries=[Entry("hog_output", "60.5")],
    )  # fmt: skip
    sheet = openpyxl.load_workbook(template(session, tmp_path / "t.xlsx")).worksheets[0]
    rows = {row[3]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["hog_output"][9] == 60.5


def test_a_template_of_another_period_is_refused(session, tmp_path):
    make_place(session)
    path = template(session, tmp_path / "2023.xlsx", period=2023)
    fill(path, {"grain_sown_area": 95.5})
    with pytest.raises(Refused, match="第 2 行【年度】：表格属于 2023 年，不是本次填报的 2024 年"):
        upload(session, path)
    assert datasets.find(session, period=2024, region_code=WANZHOU) is None


def test_a_workbook_of_another_template_is_refused_by_its_missing_columns(session, tmp_path):
    make_place(session)
    path = tmp_path / "花名册.xlsx"
    write_workbook(path, ["户编号", "姓名", "身份证号"], [["1", "张三", "500101199001011234"]])
    with pytest.raises(Exception, match="缺少列：年度、填报单位代码、指标标识、单位、数值"):
        upload(session, path)


def test_one_bad_row_refuses_the_whole_upload_naming_row_and_field(session, tmp_path):
    make_place(session)
    path = template(session, tmp_path / "万州.xlsx")
    fill(path, {"grain_sown_area": 95.5, "mechanization_rate": 130})
    with pytest.raises(
        Refused, match=r"第 \d+ 行【农作物耕种收综合机械化率】：130 不在有效范围 0—100"
    ):
        upload(session, path)
    assert datasets.find(session, period=2024, region_code=WANZHOU) is None
