"""The one list component: a page asked for in the query string is read within bounds, every
unusable value is refused in Chinese naming the parameter, and a listing says which rows of
how many it shows."""

from datetime import date

import pytest

from yunong.core import listing
from yunong.core.errors import InvalidValue
from yunong.core.listing import Listing, ListSpec, Page, Sort

SPEC = ListSpec(
    sorts={"due": Sort("期限", ()), "opened": Sort("开始日期", ())},
    default_sort="due",
    statuses={"verify": "待入户核实", "monitored": "监测帮扶中"},
    categories={"脱贫不稳定户": "脱贫不稳定户"},
    dated="开始日期",
)


def test_an_empty_query_asks_for_the_first_page_of_fifty_in_the_lists_own_order():
    page = listing.parse({}, SPEC)
    assert (page.number, page.size, page.sort, page.descending) == (1, 50, "due", False)
    assert page.filters() == {}


def test_a_minus_before_the_sort_key_sorts_the_other_way():
    page = listing.parse({"sort": "-opened"}, SPEC)
    assert (page.sort, page.descending, page.sort_parameter) == ("opened", True, "-opened")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, "页码“0”应为 1 到 1000000 之间的整数"),
        ({"page": "abc"}, "页码“abc”应为 1 到 1000000 之间的整数"),
        ({"page": "99999999999999999999"}, "页码"),
        ({"size": "500"}, "每页条数“500”应为 1 到 200 之间的整数"),
        ({"size": "-5"}, "每页条数"),
        ({"sort": "id_number"}, "排序“id_number”无效：可按期限、开始日期排序"),
        ({"status": "closed"}, "状态“closed”不在可选范围内"),
        ({"category": "其他"}, "类别“其他”不在可选范围内"),
        ({"from": "2024-13-45"}, "开始日期“2024-13-45”无法识别"),
        ({"region": "50%"}, "区划代码“50%”应为 6、9 或 12 位数字"),
        ({"q": "张" * 41}, "搜索内容过长：最多 40 个字"),
    ],
)
def test_an_unusable_value_is_refused_naming_the_parameter(params, message):
    with pytest.raises(InvalidValue, match=message):
        listing.parse(params, SPEC)


def test_a_date_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidValue, match="开始日期 2024-06-30 晚于结束日期 2024-06-01"):
        listing.parse({"from": "2024-06-30", "to": "2024-06-01"}, SPEC)


def test_filters_are_read_as_people_type_them():
    page = listing.parse(
        {"region": "500101108", "from": "2024/6/1", "to": "2024年6月30日", "q": "  张  建国 "},
        SPEC,
    )
    assert page.region == "500101108000"
    assert (page.date_from, page.date_to) == (date(2024, 6, 1), date(2024, 6, 30))
    assert page.search == "张 建国"
    assert page.filters() == {
        "region": "500101108000",
        "from": "2024-06-01",
        "to": "2024-06-30",
        "q": "张 建国",
    }


def test_a_listing_of_504_rows_shows_rows_1_to_50_of_11_pages():
    first = Listing(list(range(50)), 504, Page(number=1, size=50))
    assert (first.first, first.last, first.pages) == (1, 50, 11)
    assert first.has_next and not first.has_previous


def test_the_last_page_shows_what_is_left():
    last = Listing(list(range(4)), 504, Page(number=11, size=50))
    assert (last.first, last.last) == (501, 504)
    assert last.has_previous and not last.has_next


def test_a_page_past_the_end_shows_no_rows_and_still_the_total():
    past = Listing([], 504, Page(number=12, size=50))
    assert (past.first, past.last, past.total) == (0, 0, 504)
    assert not past.has_next
