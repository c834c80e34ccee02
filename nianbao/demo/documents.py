"""Realistic annual-report documents for the sample portal and for parser tests.

A ``ReportContent`` holds what one report says (agency, year, the three statistical tables in
exactly the shape the parser outputs, and the prose). The renderers turn it into the forms real
portals publish: article HTML in the styles of the common site builders, the plain-text shapes
that copy-paste, PDF extraction and web archivers produce, DOCX with the template's merged cells,
and PDF. Round-trip tests compare ``parse(render(content))`` with ``expected_sections(content)``.

Everything here is pure (no I/O); reportlab and python-docx are imported only by the renderers
that need them.
"""

from __future__ import annotations

import copy
import html
import io
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# ---------------------------------------------------------------------------------------------
# Keys and labels (the statutory layouts)
# ---------------------------------------------------------------------------------------------

APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_services",
    "other_org",
    "total",
)
APPLICANT_KEYS: tuple[str, ...] = APPLICANT_COLUMNS[:-1]

DENIED_ROWS: tuple[tuple[str, str], ...] = (
    ("denied_state_secret", "1.属于国家秘密"),
    ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("denied_three_safeties", "3.危及“三安全一稳定”"),
    ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "5.属于三类内部事务信息"),
    ("denied_process_info", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "7.属于行政执法案卷"),
    ("denied_query_matter", "8.属于行政查询事项"),
)
UNAVAILABLE_ROWS: tuple[tuple[str, str], ...] = (
    ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确"),
)
REJECTED_ROWS: tuple[tuple[str, str], ...] = (
    ("rejected_petition", "1.信访举报投诉类申请"),
    ("rejected_duplicate", "2.重复申请"),
    ("rejected_publication", "3.要求提供公开出版物"),
    ("rejected_excessive", "4.无正当理由大量反复申请"),
    ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
)
OTHER_ROWS_2021: tuple[tuple[str, str], ...] = (
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他"),
)

LABEL_NEW = "一、本年新收政府信息公开申请数量"
LABEL_CARRIED_IN = "二、上年结转政府信息公开申请数量"
LABEL_RESULTS = "三、本年度办理结果"
LABEL_GRANTED = "（一）予以公开"
LABEL_PARTLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
LABEL_DENIED = "（三）不予公开"
LABEL_UNAVAILABLE = "（四）无法提供"
LABEL_REJECTED = "（五）不予处理"
LABEL_OTHER = "（六）其他处理"
LABEL_TOTAL_HANDLED = "（七）总计"
LABEL_CARRIED_OUT = "四、结转下年度继续办理"
LABEL_BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

OUTCOME_KEYS_COMMON: tuple[str, ...] = (
    ("granted", "partly_granted")
    + tuple(k for k, _ in DENIED_ROWS)
    + tuple(k for k, _ in UNAVAILABLE_ROWS)
    + tuple(k for k, _ in REJECTED_ROWS)
)


def outcome_keys(layout: str) -> tuple[str, ...]:
    """The outcome rows (（一）…（六）) whose sum is ``total_handled``."""
    if layout == "2019":
        return OUTCOME_KEYS_COMMON + ("other_handling",)
    return OUTCOME_KEYS_COMMON + tuple(k for k, _ in OTHER_ROWS_2021)


def request_row_keys(layout: str) -> tuple[str, ...]:
    """Every row of section 三, in table order."""
    return ("new", "carried_in") + outcome_keys(layout) + ("total_handled", "carried_out")


REVIEW_GROUPS: tuple[str, ...] = ("review", "suit_direct", "suit_after_review")
REVIEW_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
REVIEW_COLUMN_LABELS: tuple[tuple[str, str], ...] = (
    ("结果", "维持"),
    ("结果", "纠正"),
    ("其他", "结果"),
    ("尚未", "审结"),
    ("总计", ""),
)

# Section 二: (item heading, column labels, [(row key, row label)], column keys)
ActiveItem = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]

ACTIVE_ITEMS_2021: tuple[ActiveItem, ...] = (
    (
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        (("regulations", "规章"), ("normative_documents", "行政规范性文件")),
        ("issued", "repealed", "in_force"),
    ),
    ("第二十条第（五）项", ("本年处理决定数量",), (("licensing", "行政许可"),), ("decisions",)),
    (
        "第二十条第（六）项",
        ("本年处理决定数量",),
        (("punishment", "行政处罚"), ("coercion", "行政强制")),
        ("decisions",),
    ),
    (
        "第二十条第（八）项",
        ("本年收费金额（单位：万元）",),
        (("fees", "行政事业性收费"),),
        ("amount_10k_yuan",),
    ),
)

ACTIVE_ITEMS_2019: tuple[ActiveItem, ...] = (
    (
        "第二十条第（一）项",
        ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        (("regulations", "规章"), ("normative_documents", "规范性文件")),
        ("made", "published", "total_public"),
    ),
    (
        "第二十条第（五）项",
        ("上一年项目数量", "本年增/减", "处理决定数量"),
        (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
        ("previous_count", "change", "decisions"),
    ),
    (
        "第二十条第（六）项",
        ("上一年项目数量", "本年增/减", "处理决定数量"),
        (("punishment", "行政处罚"), ("coercion", "行政强制")),
        ("previous_count", "change", "decisions"),
    ),
    (
        "第二十条第（八）项",
        ("上一年项目数量", "本年增/减"),
        (("fees", "行政事业性收费"),),
        ("previous_count", "change"),
    ),
    (
        "第二十条第（九）项",
        ("采购项目数量", "采购总金额"),
        (("procurement", "政府集中采购"),),
        ("projects", "amount"),
    ),
)

SECTION_HEADINGS: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

HTML_STYLES: tuple[str, ...] = ("template", "four_tables", "trs_word", "hanweb", "split_labels")
TEXT_FORMS: tuple[str, ...] = (
    "tab",
    "cell_per_line",
    "cell_per_line_pipe",
    "blank_lines",
    "pdf_columns",
    "run_together",
)

CONSISTENCY_RULES: tuple[str, ...] = (
    "requests.balance",
    "requests.outcomes_sum",
    "requests.row_totals",
    "review_litigation.totals",
)

Number = int | float


# ---------------------------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------------------------


@dataclass
class ReportContent:
    """What one annual report says, with the statistics in the parser's output shape."""

    agency: str
    year: int
    layout: str  # "2019" | "2021"
    title: str | None
    published_at: date | None
    active_disclosure: dict[str, dict[str, Any]]
    requests: dict[str, dict[str, int]]
    review_litigation: dict[str, dict[str, int]]
    intro: list[str]
    problems: list[str] = field(default_factory=list)
    other_matters: list[str] = field(default_factory=list)
    broken_rules: list[str] = field(default_factory=list)  # rules deliberately violated


def default_title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Distribute ``total`` over len(weights) parts (multinomial draw)."""
    parts = [0] * len(weights)
    for _ in range(total):
        parts[rng.choices(range(len(weights)), weights=weights)[0]] += 1
    return parts


def _money(rng: random.Random, high: float) -> Number:
    """A money amount as reports write it: an integer or one/two decimals, never x.0."""
    if rng.random() < 0.3:
        return rng.randint(1, int(high))
    value = round(rng.uniform(0.1, high), rng.choice((1, 2)))
    return value if value != int(value) else int(value)


def _random_active(rng: random.Random, layout: str) -> dict[str, dict[str, Any]]:
    if layout == "2021":
        regs_issued = rng.randint(0, 3)
        docs_issued = rng.randint(1, 40)
        return {
            "regulations": {
                "issued": regs_issued,
                "repealed": rng.randint(0, 2),
                "in_force": regs_issued + rng.randint(0, 60),
            },
            "normative_documents": {
                "issued": docs_issued,
                "repealed": rng.randint(0, 15),
                "in_force": docs_issued + rng.randint(0, 400),
            },
            "licensing": {"decisions": rng.randint(1, 20000)},
            "punishment": {"decisions": rng.randint(0, 3000)},
            "coercion": {"decisions": rng.randint(0, 200)},
            "fees": {"amount_10k_yuan": _money(rng, 5000) if rng.random() < 0.6 else 0},
        }

    def counted(decisions_high: int) -> dict[str, int]:
        previous = rng.randint(0, 400)
        return {
            "previous_count": previous,
            "change": rng.randint(-min(previous, 30), 30),
            "decisions": rng.randint(0, decisions_high),
        }

    made = rng.randint(1, 40)
    fee_previous = rng.randint(0, 40)
    return {
        "regulations": {
            "made": rng.randint(0, 3),
            "published": rng.randint(0, 3),
            "total_public": rng.randint(0, 60),
        },
        "normative_documents": {"made": made, "published": made, "total_public": made + rng.randint(0, 400)},
        "licensing": counted(20000),
        "other_services": counted(5000),
        "punishment": counted(3000),
        "coercion": counted(200),
        "fees": {"previous_count": fee_previous, "change": rng.randint(-min(fee_previous, 5), 5)},
        "procurement": {
            "projects": rng.randint(1, 300),
            "amount": _money(rng, 90000),
            "unit": rng.choice(("万元", "元", None)),
        },
    }


def _zero_active(layout: str) -> dict[str, dict[str, Any]]:
    items = ACTIVE_ITEMS_2021 if layout == "2021" else ACTIVE_ITEMS_2019
    active: dict[str, dict[str, Any]] = {}
    for _heading, _labels, rows, columns in items:
        for key, _label in rows:
            active[key] = {column: 0 for column in columns}
    if layout == "2019":
        active["procurement"]["unit"] = None
    return active


def _random_requests(
    rng: random.Random, layout: str, zero: bool, carried_in_given: Mapping[str, int] | None = None
) -> dict[str, dict[str, int]]:
    rows = request_row_keys(layout)
    outcomes = outcome_keys(layout)
    # Natural persons file most requests; firms some; the rest are rare but not absent.
    column_scale = {
        "natural_person": 120,
        "commercial": 25,
        "research": 3,
        "public_interest": 3,
        "legal_services": 8,
        "other_org": 6,
    }
    outcome_weight = {key: 0.3 for key in outcomes}
    outcome_weight.update(
        {
            "granted": 8.0,
            "partly_granted": 2.0,
            "unavailable_not_held": 4.0,
            "unavailable_needs_creation": 1.0,
            "rejected_petition": 1.0,
            "rejected_duplicate": 0.8,
        }
    )
    table: dict[str, dict[str, int]] = {row: {} for row in rows}
    for column in APPLICANT_KEYS:
        if zero:
            new = carried_in = carried_out = 0
        else:
            new = rng.randint(0, column_scale[column]) if rng.random() < 0.8 else 0
            carried_in = rng.randint(0, max(1, new // 8)) if rng.random() < 0.4 else 0
            if carried_in_given is not None:
                carried_in = carried_in_given[column]
            carried_out = rng.randint(0, (new + carried_in) // 6) if rng.random() < 0.4 else 0
        handled = new + carried_in - carried_out
        parts = _split(rng, handled, [outcome_weight[k] for k in outcomes])
        table["new"][column] = new
        table["carried_in"][column] = carried_in
        for key, value in zip(outcomes, parts, strict=True):
            table[key][column] = value
        table["total_handled"][column] = handled
        table["carried_out"][column] = carried_out
    if not zero and table["new"]["natural_person"] == 0:
        # A non-zero report: make sure at least one request arrived and was granted.
        table["new"]["natural_person"] = 1
        table["granted"]["natural_person"] += 1
        table["total_handled"]["natural_person"] += 1
    for row in rows:
        table[row]["total"] = sum(table[row][column] for column in APPLICANT_KEYS)
    return table


def _random_review(rng: random.Random, zero: bool, requests_total: int) -> dict[str, dict[str, int]]:
    """Appeals are a small fraction of requests (a few per hundred), often none at all."""
    ceiling = max(1, requests_total // 15)
    result: dict[str, dict[str, int]] = {}
    for group in REVIEW_GROUPS:
        values = {
            column: 0 if zero or rng.random() < 0.5 else rng.randint(0, ceiling)
            for column in REVIEW_COLUMNS[:-1]
        }
        values["total"] = sum(values.values())
        result[group] = values
    return result


def _break_rules(
    rng: random.Random, requests: dict[str, dict[str, int]], review: dict[str, dict[str, int]]
) -> list[str]:
    """Violate one or more consistency rules, each by a change that leaves no negative value."""
    chosen = rng.sample(CONSISTENCY_RULES, rng.randint(1, len(CONSISTENCY_RULES)))
    broken: set[str] = set()
    column = rng.choice(APPLICANT_KEYS)
    delta = rng.randint(1, 5)
    if "requests.balance" in chosen:
        # carried_out in one column and in the total column: row totals still hold.
        requests["carried_out"][column] += delta
        requests["carried_out"]["total"] += delta
        broken.add("requests.balance")
    if "requests.outcomes_sum" in chosen:
        requests["granted"][column] += delta
        requests["granted"]["total"] += delta
        broken.add("requests.outcomes_sum")
    if "requests.row_totals" in chosen:
        # The total column of carried_in also unbalances the total column's 勾稽关系.
        requests["carried_in"]["total"] += delta
        broken.update({"requests.row_totals", "requests.balance"})
    if "review_litigation.totals" in chosen:
        review[rng.choice(REVIEW_GROUPS)]["total"] += delta
        broken.add("review_litigation.totals")
    return sorted(broken)


def _intro(
    agency: str,
    year: int,
    layout: str,
    active: dict[str, dict[str, Any]],
    requests: dict[str, dict[str, int]],
    review: dict[str, dict[str, int]],
    rng: random.Random,
) -> list[str]:
    """Prose for section 一 whose figures agree with the tables."""
    paragraphs = [
        f"{year}年，{agency}深入贯彻落实《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，持续提升政府信息公开工作质量。"
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    ]
    issued_key = "issued" if layout == "2021" else "made"
    issued = active["normative_documents"][issued_key]
    paragraphs.append(
        f"（一）主动公开。全年通过政府门户网站主动公开政府信息{rng.randint(40, 3000)}条，"
        + (f"制发行政规范性文件{issued}件。" if issued else "未制发行政规范性文件。")
    )
    new_total = requests["new"]["total"]
    if new_total == 0 and requests["carried_in"]["total"] == 0:
        paragraphs.append("（二）依申请公开。本年度未收到政府信息公开申请。")
    else:
        paragraphs.append(
            f"（二）依申请公开。全年共收到政府信息公开申请{new_total}件，"
            f"上年结转{requests['carried_in']['total']}件，"
            f"办结{requests['total_handled']['total']}件，"
            f"结转下年度继续办理{requests['carried_out']['total']}件。"
        )
    review_total = review["review"]["total"]
    suit_total = review["suit_direct"]["total"] + review["suit_after_review"]["total"]
    if review_total == 0 and suit_total == 0:
        paragraphs.append("全年未发生因政府信息公开引起的行政复议、行政诉讼案件。")
    else:
        paragraphs.append(f"全年发生政府信息公开行政复议案件{review_total}件、行政诉讼案件{suit_total}件。")
    paragraphs.append(
        "（三）政府信息管理。严格落实信息发布“三审”制度，动态调整主动公开目录，做好公开前的保密审查工作。"
    )
    return paragraphs


def random_content(
    rng: random.Random,
    agency: str,
    year: int,
    layout: str,
    *,
    consistent: bool = True,
    zero: bool = False,
    title: str | None | bool = True,
    published_at: date | None | bool = True,
    carried_in: Mapping[str, int] | None = None,
) -> ReportContent:
    """A plausible report. ``consistent=False`` violates one or more rules (see ``broken_rules``).

    ``title``/``published_at``: True makes the usual one, None leaves it out, a value is used as is.
    ``carried_in``: per applicant column, last year's ``carried_out``, so a body's consecutive
    reports satisfy the carry-over rule as real ones should.
    """
    if layout not in ("2019", "2021"):
        raise ValueError(f"unknown layout {layout!r}; expected '2019' or '2021'")
    active = _zero_active(layout) if zero else _random_active(rng, layout)
    requests = _random_requests(rng, layout, zero, carried_in)
    review = _random_review(rng, zero, requests["new"]["total"])
    intro = _intro(agency, year, layout, active, requests, review, rng)
    broken = [] if consistent else _break_rules(rng, requests, review)
    if title is True:
        title = default_title(agency, year)
    if published_at is True:
        published_at = date(year + 1, 1, rng.randint(5, 31))
    return ReportContent(
        agency=agency,
        year=year,
        layout=layout,
        title=title or None,
        published_at=published_at or None,
        active_disclosure=active,
        requests=requests,
        review_litigation=review,
        intro=intro,
        problems=[
            "一是公开内容的及时性有待加强；二是政策解读形式较为单一。",
            f"{year + 1}年，我们将进一步完善工作机制，丰富解读形式，不断提高政府信息公开工作水平。",
        ],
        other_matters=[f"{year}年度本机关未收取信息处理费，无其他需要报告的事项。"],
        broken_rules=broken,
    )


def expected_sections(content: ReportContent) -> dict[str, Any]:
    """The three sections exactly as the parser must output them for this content."""
    return {
        "active_disclosure": copy.deepcopy(content.active_disclosure),
        "requests": copy.deepcopy(content.requests),
        "review_litigation": copy.deepcopy(content.review_litigation),
    }


# ---------------------------------------------------------------------------------------------
# Table model: cells with spans, shared by every renderer
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


TableModel = list[list[Cell]]


def format_number(value: Any) -> str:
    """A cell value as a report writes it; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text
    return str(value)


def _active_item_table(content: ReportContent, item: ActiveItem, width: int = 4) -> TableModel:
    heading, column_labels, rows, column_keys = item
    labels = list(column_labels)
    table: TableModel = [[Cell(heading, colspan=width, header=True)]]
    header = [Cell("信息内容", header=True)]
    header += [Cell(label, header=True) for label in labels[:-1]]
    header.append(Cell(labels[-1], colspan=width - len(labels), header=True))
    table.append(header)
    for key, label in rows:
        values = content.active_disclosure[key]
        texts = [format_number(values.get(column)) for column in column_keys]
        if key == "procurement" and values.get("unit") and texts[-1]:
            texts[-1] += values["unit"]
        row = [Cell(label)] + [Cell(text) for text in texts[:-1]]
        row.append(Cell(texts[-1], colspan=width - len(texts)))
        table.append(row)
    return table


def active_tables(content: ReportContent) -> list[TableModel]:
    """Section 二 as the template's separate items (one small table each)."""
    items = ACTIVE_ITEMS_2021 if content.layout == "2021" else ACTIVE_ITEMS_2019
    return [_active_item_table(content, item) for item in items]


def active_table(content: ReportContent) -> TableModel:
    """Section 二 as one table, as the official template has it."""
    return [row for table in active_tables(content) for row in table]


def _value_cells(content: ReportContent, key: str) -> list[Cell]:
    return [Cell(format_number(content.requests[key].get(column))) for column in APPLICANT_COLUMNS]


def requests_table(content: ReportContent) -> TableModel:
    """Section 三 with the template's merges: 3 label columns + 7 value columns."""
    other_rows = (("other_handling", LABEL_OTHER),) if content.layout == "2019" else OTHER_ROWS_2021
    results_height = 2 + len(DENIED_ROWS) + len(UNAVAILABLE_ROWS) + len(REJECTED_ROWS) + len(other_rows) + 1
    table: TableModel = [
        [
            Cell(LABEL_BALANCE_NOTE, rowspan=3, colspan=3, header=True),
            Cell("申请人情况", colspan=7, header=True),
        ],
        [
            Cell("自然人", rowspan=2, header=True),
            Cell("法人或其他组织", colspan=5, header=True),
            Cell("总计", rowspan=2, header=True),
        ],
        [
            Cell(text, header=True)
            for text in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
        ],
        [Cell(LABEL_NEW, colspan=3)] + _value_cells(content, "new"),
        [Cell(LABEL_CARRIED_IN, colspan=3)] + _value_cells(content, "carried_in"),
        [Cell(LABEL_RESULTS, rowspan=results_height), Cell(LABEL_GRANTED, colspan=2)]
        + _value_cells(content, "granted"),
        [Cell(LABEL_PARTLY, colspan=2)] + _value_cells(content, "partly_granted"),
    ]
    for group_label, group_rows in (
        (LABEL_DENIED, DENIED_ROWS),
        (LABEL_UNAVAILABLE, UNAVAILABLE_ROWS),
        (LABEL_REJECTED, REJECTED_ROWS),
    ):
        for index, (key, label) in enumerate(group_rows):
            lead = [Cell(group_label, rowspan=len(group_rows))] if index == 0 else []
            table.append(lead + [Cell(label)] + _value_cells(content, key))
    if content.layout == "2019":
        table.append([Cell(LABEL_OTHER, colspan=2)] + _value_cells(content, "other_handling"))
    else:
        for index, (key, label) in enumerate(OTHER_ROWS_2021):
            lead = [Cell(LABEL_OTHER, rowspan=len(OTHER_ROWS_2021))] if index == 0 else []
            table.append(lead + [Cell(label)] + _value_cells(content, key))
    table.append([Cell(LABEL_TOTAL_HANDLED, colspan=2)] + _value_cells(content, "total_handled"))
    table.append([Cell(LABEL_CARRIED_OUT, colspan=3)] + _value_cells(content, "carried_out"))
    return table


def review_table(content: ReportContent, *, split_labels: bool = False) -> TableModel:
    """Section 四: 15 columns under two header levels (three when labels are split)."""
    values = [
        Cell(format_number(content.review_litigation[group].get(column)))
        for group in REVIEW_GROUPS
        for column in REVIEW_COLUMNS
    ]
    if not split_labels:
        joined = [top + bottom for top, bottom in REVIEW_COLUMN_LABELS]
        return [
            [Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True)],
            [Cell(label, rowspan=2, header=True) for label in joined]
            + [Cell("未经复议直接起诉", colspan=5, header=True), Cell("复议后起诉", colspan=5, header=True)],
            [Cell(label, header=True) for _ in range(2) for label in joined],
            values,
        ]
    # Labels broken over two rows (结果 / 维持), as sites that re-type the table do.
    tops = [Cell(top, header=True) for top, _ in REVIEW_COLUMN_LABELS]
    bottoms = [Cell(bottom, header=True) for _, bottom in REVIEW_COLUMN_LABELS]
    return [
        [Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True)],
        [
            Cell("", colspan=5, header=True),
            Cell("未经复议直接起诉", colspan=5, header=True),
            Cell("复议后起诉", colspan=5, header=True),
        ],
        tops * 3,
        bottoms * 3,
        values,
    ]


def to_grid(table: TableModel) -> list[list[str]]:
    """The true grid: every merged cell's text repeated into each position it covers."""
    placed: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table):
        c = 0
        for cell in row:
            while (r, c) in placed:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    placed[(r + dr, c + dc)] = cell.text
            c += cell.colspan
    height = max(r for r, _ in placed) + 1
    width = max(c for _, c in placed) + 1
    return [[placed.get((r, c), "") for c in range(width)] for r in range(height)]


def _origin_grid(table: TableModel) -> list[list[Cell | None]]:
    """Positions holding each cell's top-left origin; covered positions are None."""
    width = len(to_grid(table)[0])
    grid: list[list[Cell | None]] = []
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(table):
        line: list[Cell | None] = [None] * width
        c = 0
        for cell in row:
            while (r, c) in covered:
                c += 1
            line[c] = cell
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, c + dc))
            c += cell.colspan
        grid.append(line)
    return grid


def _split_wide_labels(table: TableModel) -> TableModel:
    """Labels spanning several columns typed into two cells instead (一、本年新收… | 公开申请数量)."""
    result: TableModel = []
    for row in table:
        first = row[0]
        if not first.header and first.colspan >= 2 and len(first.text) >= 8 and first.rowspan == 1:
            cut = len(first.text) // 2
            row = [Cell(first.text[:cut]), Cell(first.text[cut:], colspan=first.colspan - 1)] + row[1:]
        result.append(row)
    return result


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _html_table_plain(table: TableModel, *, upper: bool = False) -> str:
    td = "TD" if upper else "td"
    rows = []
    for row in table:
        cells = []
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' {"rowSpan" if upper else "rowspan"}="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' {"colSpan" if upper else "colspan"}="{cell.colspan}"'
            if upper:
                attrs += ' width="60" align="center" valign="middle"'
            cells.append(f"<{td}{attrs}>{_esc(cell.text)}</{td}>")
        rows.append(("<TR>" if upper else "<tr>") + "".join(cells) + ("</TR>" if upper else "</tr>"))
    if upper:
        return '<TABLE border="1" cellSpacing="0" cellPadding="0" width="100%">' + "".join(rows) + "</TABLE>"
    return '<table border="1" cellspacing="0" cellpadding="0"><tbody>' + "".join(rows) + "</tbody></table>"


def _html_table_word(table: TableModel) -> str:
    """Tables as Word's 'save as web page' leaves them: MsoNormal paragraphs, <o:p>, &nbsp;."""
    rows = []
    for r, row in enumerate(table):
        cells = []
        for cell in row:
            attrs = ' valign="center" style="border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt"'
            if cell.rowspan > 1:
                attrs = f' rowspan="{cell.rowspan}"' + attrs
            if cell.colspan > 1:
                attrs = f' colspan="{cell.colspan}"' + attrs
            text = cell.text
            if text:
                # Word splits runs arbitrarily; a value may sit in its own span with &nbsp; around it.
                mid = len(text) // 2 if len(text) > 3 else len(text)
                inner = (
                    f'<span style="font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体">{_esc(text[:mid])}</span>'
                    + (
                        f'<span lang="EN-US" style="font-size:10.5pt">{_esc(text[mid:])}</span>'
                        if text[mid:]
                        else ""
                    )
                )
                if text.isdigit():
                    inner = f'<span lang="EN-US" style="font-size:10.5pt">&nbsp;{_esc(text)}&nbsp;</span>'
            else:
                inner = '<span lang="EN-US">&nbsp;</span>'
            cells.append(
                f'<td{attrs}><p class="MsoNormal" align="center" style="text-align:center">{inner}<o:p></o:p></p></td>'
            )
        rows.append(f'<tr style="mso-yfti-irow:{r}">' + "".join(cells) + "</tr>")
    return (
        '<table class="MsoNormalTable" border="0" cellspacing="0" cellpadding="0" '
        'style="border-collapse:collapse;mso-table-layout-alt:fixed;mso-padding-alt:0cm 5.4pt 0cm 5.4pt">'
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )


def _hanweb_requests_table(content: ReportContent) -> TableModel:
    """Hanweb-built sites: rowspan labels, but no colspan in the label block (an empty third cell)."""
    result: TableModel = []
    for row in requests_table(content):
        first = row[0]
        if not first.header and first.colspan == 2:
            row = [Cell(first.text), Cell("")] + row[1:]
        elif not first.header and first.colspan == 3:
            row = [Cell(first.text, colspan=2), Cell("")] + row[1:]
        result.append(row)
    return result


def _paragraphs_html(paragraphs: list[str], style: str) -> str:
    if style == "trs_word":
        return "".join(
            f'<p class="MsoNormal" style="text-indent:32.0pt;mso-char-indent-count:2.0">'
            f'<span style="font-family:仿宋_GB2312">{_esc(p)}</span><span lang="EN-US"><o:p></o:p></span></p>'
            for p in paragraphs
        )
    return "".join(f'<p style="text-indent:2em;">{_esc(p)}</p>' for p in paragraphs)


def _heading_html(text: str, style: str) -> str:
    if style == "trs_word":
        return (
            f'<p class="MsoNormal" style="text-indent:32.0pt"><b><span style="font-family:黑体">{_esc(text)}'
            '</span></b><span lang="EN-US"><o:p></o:p></span></p>'
        )
    if style == "hanweb":
        return f"<p><strong>{_esc(text)}</strong></p>"
    return f'<p style="text-indent:2em;"><strong>{_esc(text)}</strong></p>'


def render_html_body(content: ReportContent, style: str = "template") -> str:
    """The article HTML a portal shows: headings 一…六, prose and the three tables."""
    if style not in HTML_STYLES:
        raise ValueError(f"unknown HTML style {style!r}; expected one of {HTML_STYLES}")
    if style == "trs_word":
        render_table = _html_table_word
    elif style == "hanweb":

        def render_table(table: TableModel) -> str:
            return _html_table_plain(table, upper=True)
    else:
        render_table = _html_table_plain

    if style == "four_tables":
        section_two = "".join(render_table(t) for t in active_tables(content))
    else:
        section_two = render_table(active_table(content))
    if style == "hanweb":
        section_three = render_table(_hanweb_requests_table(content))
    elif style == "split_labels":
        section_three = render_table(_split_wide_labels(requests_table(content)))
    else:
        section_three = render_table(requests_table(content))
    section_four = render_table(review_table(content, split_labels=style == "split_labels"))

    parts = [
        _heading_html(SECTION_HEADINGS[0], style),
        _paragraphs_html(content.intro, style),
        _heading_html(SECTION_HEADINGS[1], style),
        section_two,
        _heading_html(SECTION_HEADINGS[2], style),
        section_three,
        _heading_html(SECTION_HEADINGS[3], style),
        section_four,
        _heading_html(SECTION_HEADINGS[4], style),
        _paragraphs_html(content.problems, style),
        _heading_html(SECTION_HEADINGS[5], style),
        _paragraphs_html(content.other_matters, style),
    ]
    wrapper_class = "WordSection1" if style == "trs_word" else "article-content"
    return f'<div class="{wrapper_class}">' + "\n".join(parts) + "</div>"


def render_html_page(content: ReportContent, style: str = "template") -> str:
    """A complete, standalone report page (title, publication date meta, body)."""
    title = content.title or "政府信息公开工作年度报告"
    meta = ""
    dateline = ""
    if content.published_at is not None:
        stamp = content.published_at.isoformat()
        meta = f'<meta name="PubDate" content="{stamp} 09:30">'
        dateline = f'<div class="info">发布时间：{stamp}</div>'
    heading = f"<h1>{_esc(content.title)}</h1>" if content.title else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title>{meta}</head><body>"
        f"{heading}{dateline}{render_html_body(content, style)}</body></html>"
    )


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


def _text_tab(table: TableModel) -> list[str]:
    """One line per row, cells TAB-separated, covered positions empty (Word copy-paste)."""
    lines = []
    for row in _origin_grid(table):
        lines.append("\t".join(cell.text if cell else "" for cell in row))
    return lines


def _text_cell_per_line(table: TableModel) -> list[str]:
    return [cell.text for row in table for cell in row]


def _text_cell_per_line_pipe(table: TableModel) -> list[str]:
    """Each cell followed by ' |'; the positions a row does not fill come as a run of '|'."""
    lines = []
    grid = _origin_grid(table)
    for row in grid:
        missing = 0
        for cell in row:
            if cell is None:
                missing += 1
            else:
                lines.append(f"{cell.text} |" if cell.text else "|")
        if missing:
            lines.append("|" * missing)
    return lines


def _text_blank_lines(table: TableModel) -> list[str]:
    """Each cell on its own TAB-indented line, a blank line after each row; rowspan gaps as empty lines."""
    lines = []
    covered_by_rowspan: set[tuple[int, int]] = set()
    grid = _origin_grid(table)
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None:
                for dr in range(1, cell.rowspan):
                    for dc in range(cell.colspan):
                        covered_by_rowspan.add((r + dr, c + dc))
        for c, cell in enumerate(row):
            if cell is not None:
                lines.append(f"\t{cell.text}")
            elif (r, c) in covered_by_rowspan:
                lines.append("\t")
        lines.append("")
    return lines


def _text_run_together(table: TableModel) -> list[str]:
    return ["".join(cell.text for cell in row) for row in table]


def _page_footer(page: int) -> list[str]:
    return ["", f"— {page} —", ""]


def _text_pdf_columns(table: TableModel, page: list[int], label_columns: int) -> list[str]:
    """PDF extraction order: header cells, then the row labels, then each value column top to bottom,
    with a page footer wherever a page break falls inside the table."""
    grid = _origin_grid(table)
    body_start = 0
    while body_start < len(table) and all(cell.header for cell in table[body_start]):
        body_start += 1
    lines = [cell.text for row in table[:body_start] for cell in row if cell.text]
    body = grid[body_start:]
    for row in body:
        lines.extend(cell.text for cell in row[:label_columns] if cell is not None and cell.text)
    width = len(grid[0])
    break_after = (label_columns + width) // 2
    for c in range(label_columns, width):
        lines.extend(row[c].text for row in body if row[c] is not None)
        if c == break_after and len(body) > 3:
            page[0] += 1
            lines.extend(_page_footer(page[0]))
    return lines


def _tables_for_text(content: ReportContent, form: str) -> tuple[list[TableModel], TableModel, TableModel]:
    two = active_tables(content) if form == "pdf_columns" else [active_table(content)]
    return two, requests_table(content), review_table(content)


def render_text(content: ReportContent, form: str = "tab") -> str:
    """The report as plain text in one of the shapes real text copies take (see TEXT_FORMS)."""
    if form not in TEXT_FORMS:
        raise ValueError(f"unknown text form {form!r}; expected one of {TEXT_FORMS}")
    page = [1]

    def table_lines(table: TableModel) -> list[str]:
        if form == "tab":
            return _text_tab(table)
        if form == "cell_per_line":
            return _text_cell_per_line(table)
        if form == "cell_per_line_pipe":
            return _text_cell_per_line_pipe(table)
        if form == "blank_lines":
            return _text_blank_lines(table)
        if form == "pdf_columns":
            label_columns = 3 if table is three else (0 if table is four else 1)
            return _text_pdf_columns(table, page, label_columns)
        return _text_run_together(table)

    two, three, four = _tables_for_text(content, form)
    separator = (
        "\n" if form in ("pdf_columns", "run_together", "cell_per_line", "cell_per_line_pipe") else "\n\n"
    )
    lines: list[str] = []
    if content.title:
        lines += [content.title, ""]
    lines += [SECTION_HEADINGS[0]] + content.intro
    if form == "pdf_columns":
        page[0] += 1
        lines += _page_footer(page[0])
    lines.append(SECTION_HEADINGS[1])
    for table in two:
        lines += table_lines(table)
    lines += ["", SECTION_HEADINGS[2]]
    lines += table_lines(three)
    lines += ["", SECTION_HEADINGS[3]]
    lines += table_lines(four)
    lines += ["", SECTION_HEADINGS[4]] + content.problems
    lines += [SECTION_HEADINGS[5]] + content.other_matters
    if content.published_at is not None:
        lines += [
            "",
            content.agency,
            f"{content.published_at.year}年{content.published_at.month}月{content.published_at.day}日",
        ]
    text = "\n".join(lines)
    if separator == "\n\n":
        # Word copy-paste puts a blank line between paragraphs but not inside tables.
        text = text.replace("\n" + SECTION_HEADINGS[1], "\n\n" + SECTION_HEADINGS[1])
    return text + "\n"


# ---------------------------------------------------------------------------------------------
# DOCX and PDF (imported lazily: only these renderers need python-docx / reportlab)
# ---------------------------------------------------------------------------------------------


def _docx_table(document: Any, table: TableModel) -> None:
    grid = _origin_grid(table)
    height, width = len(grid), len(grid[0])
    from docx.table import _Cell

    word_table = document.add_table(rows=height, cols=width)
    word_table.style = "Table Grid"
    # The cells of the unmerged table, taken once: Table.cell() lays out the whole table on every
    # call, which made one DOCX take seconds. Each merge removes only cells inside its own area,
    # which are never visited again.
    cells = [[_Cell(tc, word_table) for tc in tr.tc_lst] for tr in word_table._tbl.tr_lst]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            target = cells[r][c]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
            target.text = cell.text


def render_docx(content: ReportContent) -> bytes:
    """A Word document with the template's tables and real merged cells (gridSpan / vMerge)."""
    import docx  # python-docx

    document = docx.Document()
    if content.title:
        document.add_heading(content.title, level=1)
    document.add_paragraph(SECTION_HEADINGS[0])
    for paragraph in content.intro:
        document.add_paragraph(paragraph)
    document.add_paragraph(SECTION_HEADINGS[1])
    _docx_table(document, active_table(content))
    document.add_paragraph(SECTION_HEADINGS[2])
    _docx_table(document, requests_table(content))
    document.add_paragraph(SECTION_HEADINGS[3])
    _docx_table(document, review_table(content))
    document.add_paragraph(SECTION_HEADINGS[4])
    for paragraph in content.problems:
        document.add_paragraph(paragraph)
    document.add_paragraph(SECTION_HEADINGS[5])
    for paragraph in content.other_matters:
        document.add_paragraph(paragraph)
    if content.published_at is not None:
        document.add_paragraph(content.agency)
        day = content.published_at
        document.add_paragraph(f"{day.year}年{day.month}月{day.day}日")
    if content.title:
        document.core_properties.title = content.title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# How a PDF's tables are ruled: every cell ("grid", Word's default), only the outer frame ("box"),
# a line under each row ("rows", WPS and Excel exports) or not at all ("none").
PDF_RULINGS = ("grid", "box", "rows", "none")


def _pdf_table(
    table: TableModel, font: str, widths: list[float], ruling: str = "grid", large_print: bool = False
) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    size, leading = (9, 12) if large_print else (7.5, 9.5)
    style = ParagraphStyle("cell", fontName=font, fontSize=size, leading=leading, wordWrap="CJK", alignment=1)
    grid = _origin_grid(table)
    data: list[list[Any]] = [
        [Paragraph(_esc(cell.text), style) if cell else "" for cell in row] for row in grid
    ]
    lines = {
        "grid": [("GRID", (0, 0), (-1, -1), 0.6, colors.black)],
        "box": [("BOX", (0, 0), (-1, -1), 0.6, colors.black)],
        "rows": [("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.black)],
        "none": [],
    }[ruling]
    commands: list[tuple[Any, ...]] = [*lines, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None and (cell.rowspan > 1 or cell.colspan > 1):
                commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    # Large print spreads the tables over pages, each page repeating the table's first row (when
    # that row is a row of its own: a cell reaching below it cannot be repeated).
    repeat = large_print and all(cell is None or cell.rowspan == 1 for cell in grid[0])
    return Table(data, colWidths=widths, style=TableStyle(commands), repeatRows=1 if repeat else 0)


def render_pdf(content: ReportContent, ruling: str = "grid", large_print: bool = False) -> bytes:
    """A PDF as offices print them: CJK text in a CID font (extractable) and merged tables, ruled
    as ``ruling`` says (``PDF_RULINGS``); in large print the tables run over several pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, firstLineIndent=0, spaceBefore=6)
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=24, alignment=1, spaceAfter=12)
    usable = A4[0] - 36 * mm
    story: list[Any] = []
    if content.title:
        story.append(Paragraph(_esc(content.title), title))

    def section(index: int, paragraphs: list[str]) -> None:
        story.append(Paragraph(SECTION_HEADINGS[index], heading))
        story.extend(Paragraph(_esc(text), body) for text in paragraphs)

    section(0, content.intro)
    section(1, [])
    story.append(_pdf_table(active_table(content), font, [usable * 0.4] + [usable * 0.2] * 3, ruling, large_print))
    section(2, [])
    label_widths = [usable * 0.08, usable * 0.12, usable * 0.2]
    story.append(_pdf_table(requests_table(content), font, label_widths + [usable * 0.6 / 7] * 7, ruling, large_print))
    section(3, [])
    story.append(_pdf_table(review_table(content), font, [usable / 15] * 15, ruling, large_print))
    story.append(Spacer(1, 6))
    section(4, content.problems)
    section(5, content.other_matters)
    if content.published_at is not None:
        day = content.published_at
        signature = ParagraphStyle("signature", parent=body, alignment=2, firstLineIndent=0)
        story.append(Paragraph(_esc(content.agency), signature))
        story.append(Paragraph(f"{day.year}年{day.month}月{day.day}日", signature))

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=content.title or "",
        author=content.agency,
        invariant=1,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def render_image_only_pdf(content: ReportContent) -> bytes:
    """A scanned report: one page holding a raster image of a ruled table, no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as pdf_canvas

    grid = to_grid(requests_table(content))
    cell_w, cell_h = 60, 22
    image = Image.new("L", (cell_w * len(grid[0]) + 2, cell_h * len(grid) + 2), 255)
    draw = ImageDraw.Draw(image)
    for r in range(len(grid) + 1):
        draw.line([(0, r * cell_h), (cell_w * len(grid[0]), r * cell_h)], fill=0, width=1)
    for c in range(len(grid[0]) + 1):
        draw.line([(c * cell_w, 0), (c * cell_w, cell_h * len(grid))], fill=0, width=1)
    for r, row in enumerate(grid):
        for c, _text in enumerate(row):
            # Ink blots where the digits would be: a scan has shapes, never characters.
            draw.rectangle([c * cell_w + 20, r * cell_h + 6, c * cell_w + 40, r * cell_h + 16], fill=90)
    buffer = io.BytesIO()
    page = pdf_canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width = A4[0] - 60
    height = width * image.height / image.width
    page.drawImage(ImageReader(image), 30, A4[1] - 40 - height, width=width, height=height)
    page.showPage()
    page.save()
    return buffer.getvalue()
