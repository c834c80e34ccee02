"""The statutory keys of both table layouts, and the phrases that locate each row in a document.

Keys follow ``spec/report-format.md``. Every row carries *anchors*: short phrases taken from the
start of the printed label, searched in order in normalised text (see ``segment.normalise``).
Short phrases survive labels split over lines, enumerators written as 1. / 1、 / （1）, typos in
the rest of the label, and traditional characters once folded. ``fuzzy`` is the full canonical
label used only when no anchor is found.
"""

from __future__ import annotations

from dataclasses import dataclass

LAYOUT_2019 = "2019"
LAYOUT_2021 = "2021"


@dataclass(frozen=True)
class RowSpec:
    key: str
    anchors: tuple[str, ...]  # regular expressions, tried in order
    fuzzy: str  # the canonical label, for the fuzzy fallback
    columns: tuple[str, ...]


# ---- Section 二 (active_disclosure) -------------------------------------------------------

AD_2021_ROWS: tuple[RowSpec, ...] = (
    RowSpec("regulations", ("规章",), "规章", ("issued", "repealed", "in_force")),
    RowSpec("normative_documents", ("规范性文件", "规范性档案"), "行政规范性文件", ("issued", "repealed", "in_force")),
    RowSpec("licensing", ("行政许可",), "行政许可", ("decisions",)),
    RowSpec("punishment", ("行政处罚",), "行政处罚", ("decisions",)),
    RowSpec("coercion", ("行政强制",), "行政强制", ("decisions",)),
    RowSpec("fees", ("事业性收费", "行政事业性"), "行政事业性收费", ("amount_10k_yuan",)),
)

_CHANGE_COLUMNS = ("previous_count", "change", "decisions")
AD_2019_ROWS: tuple[RowSpec, ...] = (
    RowSpec("regulations", ("规章",), "规章", ("made", "published", "total_public")),
    RowSpec("normative_documents", ("规范性文件", "规范性档案"), "规范性文件", ("made", "published", "total_public")),
    RowSpec("licensing", ("行政许可",), "行政许可", _CHANGE_COLUMNS),
    RowSpec("other_services", ("对外管理服务", "其他对外管理"), "其他对外管理服务事项", _CHANGE_COLUMNS),
    RowSpec("punishment", ("行政处罚",), "行政处罚", _CHANGE_COLUMNS),
    RowSpec("coercion", ("行政强制",), "行政强制", _CHANGE_COLUMNS),
    RowSpec("fees", ("事业性收费", "行政事业性"), "行政事业性收费", ("previous_count", "change")),
    RowSpec("procurement", ("集中采购", "政府采购"), "政府集中采购", ("projects", "amount")),
)

# Header words that only one layout prints in section 二 (typos included: 本年度止 for 本年废止).
AD_MARKERS_2021 = ("制发件数", "本年制发", "废止件数", "度止件数", "现行有效", "收费金额")
AD_MARKERS_2019 = ("新制作数量", "新公开数量", "对外公开总数", "上一年项目", "增/减", "增减", "集中采购", "对外管理服务")

# ---- Section 三 (requests) ------------------------------------------------------------------

APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_services",
    "other_org",
    "total",
)
APPLICANT_KEYS = APPLICANT_COLUMNS[:-1]


def _req(key: str, anchors: tuple[str, ...], label: str) -> RowSpec:
    return RowSpec(key, anchors, label, APPLICANT_COLUMNS)


_REQ_HEAD: tuple[RowSpec, ...] = (
    _req("new", ("本年新收", "新收政府信息", "本年收到"), "本年新收政府信息公开申请数量"),
    _req("carried_in", ("上年结转", "上年度结转"), "上年结转政府信息公开申请数量"),
    _req("granted", ("予以公开",), "予以公开"),
    _req("partly_granted", ("部分公开",), "部分公开"),
    _req("denied_state_secret", ("国家秘密",), "属于国家秘密"),
    _req("denied_prohibited_by_law", ("法律行政法规", "法规禁止"), "其他法律行政法规禁止公开"),
    _req("denied_three_safeties", ("三安全", "一稳定", "危及"), "危及三安全一稳定"),
    _req("denied_third_party", ("第三方",), "保护第三方合法权益"),
    _req("denied_internal_affairs", ("内部事务",), "属于三类内部事务信息"),
    _req("denied_process_info", ("过程性",), "属于四类过程性信息"),
    _req("denied_enforcement_file", ("执法案卷",), "属于行政执法案卷"),
    _req("denied_query_matter", ("查询事项",), "属于行政查询事项"),
    _req("unavailable_not_held", ("不掌握",), "本机关不掌握相关政府信息"),
    _req("unavailable_needs_creation", ("另行制作", "没有现成"), "没有现成信息需要另行制作"),
    _req("unavailable_unclear", ("仍不明确", "补正后"), "补正后申请内容仍不明确"),
    _req("rejected_petition", ("信访", "举报投诉"), "信访举报投诉类申请"),
    _req("rejected_duplicate", ("重复申请",), "重复申请"),
    _req("rejected_publication", ("出版物",), "要求提供公开出版物"),
    _req("rejected_excessive", ("大量反复", "反复申请"), "无正当理由大量反复申请"),
    _req("rejected_confirmation", ("重新出具", "确认或重新"), "要求行政机关确认或重新出具已获取信息"),
)
_REQ_TAIL: tuple[RowSpec, ...] = (
    _req("total_handled", ("总计", "合计"), "总计"),
    _req("carried_out", ("结转下年", "下年度继续", "继续办理"), "结转下年度继续办理"),
)
REQ_2019_ROWS: tuple[RowSpec, ...] = (
    *_REQ_HEAD,
    _req("other_handling", ("其他处理",), "其他处理"),
    *_REQ_TAIL,
)
REQ_2021_ROWS: tuple[RowSpec, ...] = (
    *_REQ_HEAD,
    _req("other_no_correction", ("逾期不补正", "无正当理由逾期", "不补正"), "申请人无正当理由逾期不补正"),
    _req("other_no_fee", ("收费通知", "缴纳费用", "逾期未按"), "申请人逾期未按收费通知要求缴纳费用"),
    # 其他处 and 理 apart: the group label 其他处理 broken by the row labels printed beside it;
    # （六）其他 and 处理 on lines of their own, the same group label.
    _req("other_misc", (r"\d[.、]?其他(?!处)", "(?<![)）])其他(?!处|法律|结果)"), "其他"),
    *_REQ_TAIL,
)
# Row labels of the statistics table reports printed before 2019 (指标 | 单位 | 统计数), which the
# statutory tables replaced: two of them mark that table.
OLD_STATISTICS_MARKERS = (
    "申请办结数",
    "申请答复数",
    "属于已主动公开范围",
    "同意公开答复",
    "回应解读情况",
    "举报投诉数量",
    "历年累计",
    "主动公开文件数",
    "依申请公开总数",
    "对申请的答复总数",
    "统计指标",
)
REQ_MARKERS_2021 = ("逾期不补正", "不补正", "收费通知", "缴纳费用", "逾期未按")

OUTCOME_ROWS_2019 = tuple(r.key for r in REQ_2019_ROWS[2:-2])
OUTCOME_ROWS_2021 = tuple(r.key for r in REQ_2021_ROWS[2:-2])

# ---- Section 四 (review_litigation) ---------------------------------------------------------

REVIEW_GROUPS: tuple[str, ...] = ("review", "suit_direct", "suit_after_review")
REVIEW_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

SECTIONS: tuple[str, ...] = ("active_disclosure", "requests", "review_litigation")


def ad_rows(layout: str) -> tuple[RowSpec, ...]:
    return AD_2019_ROWS if layout == LAYOUT_2019 else AD_2021_ROWS


def request_rows(layout: str) -> tuple[RowSpec, ...]:
    return REQ_2019_ROWS if layout == LAYOUT_2019 else REQ_2021_ROWS


def outcome_rows(layout: str) -> tuple[str, ...]:
    return OUTCOME_ROWS_2019 if layout == LAYOUT_2019 else OUTCOME_ROWS_2021
