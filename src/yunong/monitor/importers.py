"""Read the household workbooks villages keep (one row per person) and check every row at once.

The file is loaded into an in-memory DuckDB database and every check is one
set-based query, so a million rows take seconds rather than minutes. A
household is taken whole or not at all: any bad row refuses its household, and
the table ``row_error`` names every refused row with its column and a Chinese
reason. Values are read as villages really type them: surrounding spaces,
full-width digits (NFKC), a lowercase x, phones with spaces or dashes, amounts
such as "1.2万". Refusals are kept for what makes a household wrong (ID numbers,
heads, regions, amounts, yes/no flags, phones); the optional 受灾情况 is read as
villages describe it (洪涝受灾: hit, grade for the visit) and text it cannot read is
kept with a warning.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from yunong.core.errors import InvalidValue
from yunong.core.identity.sql import digits_sql
from yunong.core.parsing import NO, UNITS, YES, fold
from yunong.core.tabular import RowError, column_positions, read_table
from yunong.core.validators import (
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    PROVINCE_CODES,
    clean_text,
)

COLUMNS = {
    "village": ("行政区划代码", "区划代码", "村代码"),
    "number": ("户编号", "户号"),
    "name": ("姓名",),
    "id_number": ("证件号码", "身份证号码", "公民身份号码"),
    "relation": ("与户主关系",),
    "phone": ("联系电话", "手机号码"),
    "disabled": ("是否残疾",),
    "student": ("是否在校生",),
    "migrant": ("是否外出务工", "是否务工"),
    "income": ("家庭年纯收入（元）", "家庭年纯收入"),
    "medical": ("医疗自付费用（元）", "医疗自付费用"),
    "disaster": ("受灾情况",),
}
REQUIRED = ("village", "number", "name", "id_number", "relation")
HEAD_WORDS = ("户主", "本人")
DISASTER_LEVELS = {
    "轻微": "轻微",
    "轻度": "轻微",
    "一般": "一般",
    "中度": "一般",
    "严重": "严重",
    "重度": "严重",
}
NO_DISASTER = ("", "无", "否", "未受灾", "没有", "无灾", "无灾情", "未遭灾")
UNGRADED = "待定级"
"""The grade of a household the roster says was hit without saying how badly: the visit
(入户核实) grades it, and screening sends it there."""
GRADE_WORDS = (("严重", "严重"), ("重度", "严重"), ("一般", "一般"), ("中度", "一般"),
               ("轻微", "轻微"), ("轻度", "轻微"))  # fmt: skip
"""Grade words found inside a description (严重洪涝), the more severe first."""
DISASTER_KINDS = (
    ("洪涝", "洪|涝|水灾|暴雨|内涝"),
    ("干旱", "旱"),
    ("地质灾害", "滑坡|泥石流|地质|塌方|崩塌|地陷"),
    ("风雹", "雹|大风|风灾|龙卷"),
    ("其他", "灾|冻|雪|火|地震|倒塌|损毁|受损"),
)
"""What a description says hit the household, as the disaster feed names it (the first that
matches); ``其他`` for a disaster named otherwise, or only as 受灾."""
NOTE_LENGTH = 40

NOTES = [
    ("行政区划代码", "必填。村的 12 位统计用区划代码，如 500101108201。"),
    ("户编号", "必填。本村内的户编号；同一户的成员填相同户编号。"),
    ("姓名", "必填。"),
    ("证件号码", "必填。18 位公民身份号码，末位 x 大小写均可，全角数字可自动识别。"),
    ("与户主关系", "必填。每户有且只有一行填“户主”（或“本人”），其他填配偶、子女、父母等。"),
    ("联系电话", "选填。11 位手机号，可带空格或短横线。"),
    ("是否残疾", "选填。是 / 否，空白视为否。"),
    ("是否在校生", "选填。是 / 否，空白视为否。"),
    ("是否外出务工", "选填。是 / 否，本年度在县外务工填“是”。"),
    ("家庭年纯收入（元）", "填在户主行。可写 12000、1.2万、1,2000 元；不能为负数。"),
    ("医疗自付费用（元）", "选填。本人本年度医疗费用中个人自付部分。"),
    (
        "受灾情况",
        "填在户主行。无 / 轻微 / 一般 / 严重；写成“洪涝受灾”“旱灾”等的，按受灾导入、"
        "等级待入户核实；看不懂的原样保存并提醒，不拒绝整户。",
    ),
]

# Text made only of printable ASCII and common CJK ideographs is its own NFKC form and
# has no whitespace but the plain space, so SQL alone can trim and clean it. Anything
# else (full-width digits, other spaces, symbols) is folded by Python, one cell at a time.
PLAIN = r"[ -~\x{4E00}-\x{9FFF}]*"
# What Python's str.isspace() and re's \s take for whitespace.
SPACES = r"\s\x{0B}\x{1C}-\x{1F}\x{85}\p{Z}"


def column_label(field_name: str) -> str:
    return COLUMNS[field_name][0]


@dataclass
class HouseholdFile:
    """A checked file: DuckDB tables ``person_row``, ``household`` and ``row_error``.

    ``person_row`` holds one row per non-empty line with its normalised values,
    ``household`` one row per (village, household number) with its figures, and
    ``row_error`` the refused rows as (line, field, reason).
    """

    db: duckdb.DuckDBPyConnection
    rows: int

    def errors(self) -> list[RowError]:
        found = self.db.execute("select line, field, reason from row_error").fetchall()
        errors = [RowError(line, column_label(name), reason) for line, name, reason in found]
        return sorted(errors, key=lambda error: (error.line, error.column))

    def warnings(self, households: str = "household") -> list[RowError]:
        """Rows of the households in table ``households`` taken with a warning: what the
        importer should check, though nothing was refused."""
        found = self.db.execute(
            f"""select line, disaster_warning from person_row
                semi join {households} using (village, number)
                where disaster_warning is not null and problem is null order by line"""
        ).fetchall()
        return [RowError(line, column_label("disaster"), reason) for line, reason in found]

    def close(self) -> None:
        self.db.close()


def read_households(path: Path, *, today: date | None = None) -> HouseholdFile:
    """Load and check ``path``; the caller closes the result."""
    db = duckdb.connect()
    try:
        load_raw(db, path)
        define_folding(db)
        db.execute(person_row_sql(), [(today or date.today()).isoformat()])
        db.execute(HOUSEHOLD_SQL)
        db.execute(ROW_ERROR_SQL)
        rows = count(db, "person_row")
    except BaseException:
        db.close()
        raise
    return HouseholdFile(db, rows)


def count(db: duckdb.DuckDBPyConnection, table: str) -> int:
    found = db.execute(f"select count(*) from {table}").fetchone()
    return int(found[0]) if found else 0


# Reading -------------------------------------------------------------------------------


def load_raw(db: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Table ``raw``: line, then one text column per field (empty when the file lacks it)."""
    if not path.exists():
        raise InvalidValue(f"找不到文件“{path}”")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        load_rows(db, path)
        return
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
    header = next(csv.reader(io.StringIO(text[:1_000_000])), None)
    # DuckDB skips empty lines, which would shift the line numbers a spreadsheet shows,
    # and reads UTF-8 only; such files (and GB18030 ones) go through the csv module.
    if header is None or has_empty_line(text):
        load_rows(db, path)
        return
    positions = column_positions(header, COLUMNS, REQUIRED, path)
    try:
        load_csv(db, path, len(header), positions)
    except duckdb.Error:
        load_rows(db, path)


def has_empty_line(text: str) -> bool:
    return text.startswith(("\n", "\r\n")) or "\n\n" in text or "\n\r\n" in text


def load_csv(
    db: duckdb.DuckDBPyConnection, path: Path, width: int, positions: dict[str, int]
) -> None:
    columns = ", ".join(f"'c{index}': 'VARCHAR'" for index in range(width))
    db.execute(
        f"""create table csv_file as select * from read_csv(?, columns = {{{columns}}},
            header = false, auto_detect = false, null_padding = true, strict_mode = false,
            delim = ',', quote = '"', escape = '"')""",
        [str(path)],
    )
    # The table keeps the file's order, so rowid 0 is the header, line 1 as a spreadsheet shows.
    every = " || ".join(f"coalesce(c{index}, '')" for index in range(width))
    picked = ", ".join(
        f"coalesce(c{positions[name]}, '') as {name}" if name in positions else f"'' as {name}"
        for name in COLUMNS
    )
    db.execute(
        f"""create table raw as select (rowid + 1)::integer as line, {picked} from csv_file
            where rowid > 0 and (trim(coalesce(c0, '')) != ''
                                 or not regexp_full_match({every}, '[{SPACES}]*'))"""
    )
    db.execute("drop table csv_file")


def load_rows(db: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Workbooks, and CSV files DuckDB cannot number or decode, read row by row."""
    lines: list[int] = []
    values: dict[str, list[str]] = {name: [] for name in COLUMNS}
    for line, row in read_table(path, COLUMNS, REQUIRED):
        lines.append(line)
        for name in COLUMNS:
            values[name].append(row.get(name, ""))
    table = pa.table(
        {
            "line": pa.array(lines, pa.int32()),
            **{name: pa.array(column, pa.string()) for name, column in values.items()},
        }
    )
    db.register("raw_rows", table)
    db.execute("create table raw as select * from raw_rows")
    db.unregister("raw_rows")


# Folding -------------------------------------------------------------------------------


def define_folding(db: duckdb.DuckDBPyConnection) -> None:
    """``fold``, ``clean`` and ``shown``: the Python meanings of core.parsing, set-based.

    Each takes the cell and whether its whole row is plain text (see ``PLAIN``), which is
    tested once a row rather than once a cell.
    """
    db.create_function("py_fold", fold, ["VARCHAR"], "VARCHAR", side_effects=False)
    db.create_function("py_clean", clean_text, ["VARCHAR"], "VARCHAR", side_effects=False)
    db.create_function("py_strip", strip, ["VARCHAR"], "VARCHAR", side_effects=False)
    db.execute("create macro fold(x, plain) as case when plain then trim(x) else py_fold(x) end")
    db.execute("create macro shown(x, plain) as case when plain then trim(x) else py_strip(x) end")
    db.execute(
        """create macro clean(x, plain) as case when plain
           then replace(replace(x, ' ', ''), '-', '') else py_clean(x) end"""
    )
    db.execute(
        f"""create macro amount_text(x, plain) as case when plain
            then replace(replace(replace(replace(trim(x), ',', ''), ' ', ''), '元', ''), 'RMB', '')
            else replace(regexp_replace(py_fold(x), '[,，{SPACES}元￥¥]', '', 'g'), 'RMB', '')
            end"""
    )


def strip(text: str) -> str:
    return text.strip()


def in_list(values: Iterable[str]) -> str:
    """A SQL list literal; tested with list_contains, which DuckDB does not turn into a join."""
    return "[" + ", ".join(f"'{value}'" for value in values) + "]"


def id_check_sql() -> str:
    """The check character GB 11643 gives the first 17 characters of ``id_number`` when they
    are digits. Worked out on them as one number: 17 substrings cost twice as much."""
    number = "try_cast(id_number[1:17] as bigint)"
    terms = " + ".join(
        f"{d} * {w}" for d, w in zip(digits_sql(number, 17), ID_WEIGHTS, strict=True)
    )
    return f"'{ID_CHECK_CHARS}'[({terms}) % 11 + 1]"


def id_number_reason() -> str:
    """Why ``id_number`` (cleaned, upper case) is not a resident ID number, as validators says;
    ``id_check`` is :func:`id_check_sql`."""
    start = "'证件号码“' || id_shown || '”"
    return f"""case
        when length(id_number) != 18
            then {start}应为 18 位，实为 ' || length(id_number) || ' 位'
        when not regexp_full_match(id_number, '[0-9]{{17}}[0-9X]')
            then {start}含有非法字符：前 17 位应为数字，末位为数字或 X'
        when not list_contains({in_list(sorted(PROVINCE_CODES))}, id_number[1:2])
            then {start}的地址码 ' || id_number[1:6] || ' 不是已知的省级行政区划'
        when birth_date is null
            then {start}的出生日期 ' || id_number[7:14] || ' 不是真实日期'
        when birth_date > ?::date or year(birth_date) < 1890
            then {start}的出生日期 ' || strftime(birth_date, '%Y-%m-%d') || ' 不可能'
        when id_number[18] != id_check
            then {start}校验位错误：末位应为 ' || id_check || '，实为 ' || id_number[18]
    end"""


def amount_sql(name: str) -> str:
    """``{name}_text`` (the amount as typed, cleaned) and ``{name}_match`` (its parts)."""
    cleaned = f"amount_text({name}, plain)"
    return (
        f"{cleaned} as {name}_text, "
        f"regexp_extract({cleaned}, '^(-?[0-9]+(?:\\.[0-9]+)?)(万|千)?$', "
        f"['number', 'unit']) as {name}_match"
    )


def amount_cents_sql() -> str:
    """Whole cents of each distinct typed amount (``number``, ``unit``), exact and rounded half
    to even as Decimal.quantize does.

    Worked out on the digits as integers, once per distinct amount: decimal arithmetic wide
    enough for any typed amount costs microseconds a value. Amounts with more than 12 digits
    before or after the point are no amounts anyone keeps, and are refused as unreadable.
    """
    units = " ".join(f"when '{unit}' then {int(value) * 100}" for unit, value in UNITS.items())
    return f"""
    select number, unit, sign * (base + case when 2 * rest > scale then 1
                                             when 2 * rest = scale then base % 2 else 0 end)
                         as cents
    from (
        select *, whole::bigint * per_unit + scaled // scale as base, scaled % scale as rest
        from (
            select *, coalesce(nullif(fraction, '')::bigint, 0) * per_unit as scaled,
                   pow(10, length(fraction))::bigint as scale
            from (
                select number, unit, case unit {units} else 100 end as per_unit,
                       case when starts_with(number, '-') then -1 else 1 end as sign,
                       split_part(ltrim(number, '-'), '.', 1) as whole,
                       split_part(ltrim(number, '-'), '.', 2) as fraction
                from (select income_match.number as number, income_match.unit as unit
                      from folded union
                      select medical_match.number, medical_match.unit from folded)
            )
            where number != '' and length(ltrim(whole, '0')) <= 12 and length(fraction) <= 12
        )
    )"""


def amount_reason(name: str) -> str:
    shown = f"shown({name}_raw, plain)"
    return f"""case
        when {name}_text = '' then null
        when {name}_match.number = '' or {name}_cents is null
            then '金额“' || {shown} || '”无法识别，应为数字，可带“万”“千”'
        when starts_with({name}_match.number, '-') and regexp_matches({name}_match.number, '[1-9]')
            then '金额“' || {shown} || '”不能为负数'
    end"""


def flag_sql(name: str) -> str:
    return f"lower(fold({name}, plain)) as {name}_text"


def flag_reason(name: str) -> str:
    return f"""case when not list_contains({in_list([*YES, *NO])}, {name}_text)
        then '“' || shown({name}, plain) || '”应填“是”或“否”' end"""


def phone_number() -> str:
    """The phone without +86, brackets, spaces and dashes, as validate_mobile reads it."""
    bare = "replace(replace(clean(phone, plain), '(', ''), ')', '')"
    return f"""case
        when starts_with({bare}, '+86') then {bare}[4:]
        when starts_with({bare}, '0086') then {bare}[5:]
        when length({bare}) = 13 and starts_with({bare}, '86') then {bare}[3:]
        else {bare} end"""


def person_row_sql() -> str:
    """One row per line, normalised, with the first problem found in it (as the fields are read).

    The first parameter is today's date: a birth date after it is impossible.
    """
    reasons = [
        ("village", "not village_ok", "'“' || village || '”不是 12 位村级区划代码'"),
        ("number", "number = ''", "'户编号为空'"),
        ("name", "name = ''", "'姓名为空'"),
        ("relation", "relation = ''", "'与户主关系为空'"),
        ("id_number", "id_reason is not null", "id_reason"),
        (
            "phone",
            "phone_given and not regexp_full_match(phone_number, '1[3-9][0-9]{9}')",
            "'手机号码“' || shown(phone, plain) || '”无效：应为 1 开头、第二位 3—9 的 11 位数字'",
        ),
        ("disabled", "disabled_reason is not null", "disabled_reason"),
        ("student", "student_reason is not null", "student_reason"),
        ("migrant", "migrant_reason is not null", "migrant_reason"),
        ("medical", "medical_reason is not null", "medical_reason"),
        ("income", "is_head and income_reason is not null", "income_reason"),
    ]
    first_problem = "case " + " ".join(
        f"when {condition} then ['{name}', {reason}]" for name, condition, reason in reasons
    )
    return f"""
    create table person_row as
    with folded as materialized (
        select line, plain, fold(village, plain) as village, fold(number, plain) as number,
               fold(name, plain) as name, fold(relation, plain) as relation_text,
               shown(id_number, plain) as id_shown, upper(clean(id_number, plain)) as id_number,
               phone, fold(phone, plain) != '' as phone_given,
               {flag_sql("disabled")}, {flag_sql("student")}, {flag_sql("migrant")},
               disabled, student, migrant,
               income as income_raw, {amount_sql("income")},
               medical as medical_raw, {amount_sql("medical")},
               disaster as disaster_raw, fold(disaster, plain) as disaster_text
        from (select *, regexp_full_match({" || ".join(COLUMNS)}, '{PLAIN}') as plain from raw)
    ), amount as materialized ({amount_cents_sql()}
    ), parsed as materialized (
        select *,
               length(village) = 12 and regexp_full_match(village, '[0-9]{{12}}')
                   and village[10:12] != '000' as village_ok,
               list_contains({in_list(HEAD_WORDS)}, relation_text) as is_head,
               case when list_contains({in_list(HEAD_WORDS)}, relation_text) then '户主'
                    else relation_text end as relation,
               case when regexp_full_match(id_number, '[0-9]{{17}}[0-9X]')
                         and id_number[7:10]::int >= 1
                    then try(make_date(id_number[7:10]::int, id_number[11:12]::int,
                                       id_number[13:14]::int)) end as birth_date,
               {id_check_sql()} as id_check,
               {phone_number()} as phone_number,
               income.cents as income_cents, medical.cents as medical_cents,
               {disaster_words_sql()}
        from folded
        left join amount income on income.number = income_match.number
            and income.unit = income_match.unit
        left join amount medical on medical.number = medical_match.number
            and medical.unit = medical_match.unit
    ), reasoned as materialized (
        select *, {id_number_reason()} as id_reason,
               {flag_reason("disabled")} as disabled_reason,
               {flag_reason("student")} as student_reason,
               {flag_reason("migrant")} as migrant_reason,
               {amount_reason("income")} as income_reason,
               {amount_reason("medical")} as medical_reason,
               {disaster_sql()}
        from parsed
    ), checked as (
        select *, {first_problem} end as problem from reasoned
    )
    select line, village, number, name, id_number, relation, is_head, birth_date,
           case when phone_given then phone_number end as phone,
           list_contains({in_list(YES)}, disabled_text) as disabled,
           list_contains({in_list(YES)}, student_text) as student,
           list_contains({in_list(YES)}, migrant_text) as migrant,
           coalesce(medical_cents, 0)::bigint as medical_cents,
           income_cents::bigint as income_cents,
           case when is_head then disaster end as disaster,
           case when is_head then disaster_note end as disaster_note,
           case when is_head then disaster_warning end as disaster_warning,
           problem[1] as problem_field, problem[2] as problem
    from checked
    """


def disaster_words_sql() -> str:
    """``disaster_grade`` (a grade word found inside the text) and ``disaster_kind`` (the
    disaster it names), for text that is not empty."""
    inside = " ".join(
        f"when contains(disaster_text, '{word}') then '{level}'" for word, level in GRADE_WORDS
    )
    kinds = " ".join(
        f"when regexp_matches(disaster_text, '{pattern}') then '{kind}'"
        for kind, pattern in DISASTER_KINDS
    )
    return f"""case when disaster_text != '' then case {inside} end end as disaster_grade,
               case when disaster_text != '' then case {kinds} end end as disaster_kind"""


def disaster_sql() -> str:
    """``disaster`` (the grade, 待定级, or none), ``disaster_note`` (the roster's own words
    when they were more than a grade) and ``disaster_warning`` (what the importer is told).
    Nothing here refuses a household."""
    exact = " ".join(f"when '{word}' then '{level}'" for word, level in DISASTER_LEVELS.items())
    none = f"list_contains({in_list(NO_DISASTER)}, disaster_text)"
    described = f"not {none} and not list_contains({in_list(DISASTER_LEVELS)}, disaster_text)"
    typed = "'“' || shown(disaster_raw, plain) || '”'"
    ungraded = "'按受灾导入，灾种：' || disaster_kind || '，受灾等级待入户核实'"
    unread = "'无法识别为受灾等级（无、轻微、一般、严重），已按原文保存，请核对'"
    return f"""case when {none} then null else case disaster_text {exact}
                   else coalesce(disaster_grade,
                                 case when disaster_kind is not null then '{UNGRADED}' end)
                   end end as disaster,
               case when {described} then left(shown(disaster_raw, plain), {NOTE_LENGTH})
                    end as disaster_note,
               case when not ({described}) or disaster_grade is not null then null
                    when disaster_kind is not null then {typed} || {ungraded}
                    else {typed} || {unread}
               end as disaster_warning"""


# Households ----------------------------------------------------------------------------

HOUSEHOLD_SQL = """
create table household as
select village, number, min(line) as first_line, count(*) as members,
       count(problem) > 0 as refused,
       count(*) filter (where is_head and problem is null) as heads,
       min(line) filter (where is_head and problem is null) as first_head_line,
       max(income_cents) filter (where is_head and problem is null) as income_cents,
       max(disaster) filter (where is_head and problem is null) as disaster,
       max(disaster_note) filter (where is_head and problem is null) as disaster_note
from person_row group by village, number
"""

# Rows refused in the file itself: the row's own problem, a household without exactly one
# head (named on its second head, or its first line), and an ID number listed twice (each
# listing names another line that has it, the earliest household's first).
ROW_ERROR_SQL = """
create table row_error as
select line, problem_field as field, problem as reason from person_row where problem is not null
union all
select coalesce(second_head.line, h.first_line), 'relation',
       case when heads = 0 then '户编号 ' || number || ' 没有户主'
            else '户编号 ' || number || ' 有 ' || heads || ' 个户主' end
from household h left join (
    select village, number, line from (
        select village, number, line,
               row_number() over (partition by village, number order by line) as place
        from person_row semi join (select village, number from household where heads > 1)
            using (village, number)
        where is_head and problem is null
    ) where place = 2
) second_head using (village, number)
where not refused and heads != 1
union all
select line, 'id_number', '证件号码 ' || id_number || ' 与第 ' || other || ' 行重复'
from (
    select line, id_number,
           list_filter(list(line order by household_line, line) over same_number,
                       lambda o: o != line)[1] as other
    from (
        select p.line, p.id_number, h.first_line as household_line
        from person_row p join household h using (village, number)
        where p.problem is null and p.id_number in (
            select id_number from person_row where problem is null
            group by id_number having count(*) > 1)
    )
    window same_number as (partition by id_number)
)
"""
