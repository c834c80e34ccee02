"""Is a page title an annual disclosure report, for which year and which body?

Real titles: XX局2023年度政府信息公开工作年度报告 · 2023年XX镇政府信息公开年报 ·
XX镇人民政府关于2023年政府信息公开工作的年度报告 · 2023年度政务公开工作年度报告.
Lookalikes that must be rejected: guides (指南), work plans (工作要点), notices asking for the
reports (关于报送…的通知), website statistics (政府网站工作年度报表), rules (制度), and annual
reports on other topics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.text import fold

_SUBJECT = re.compile(r"政府信息公开|政务公开|信息公开|政务信息公开")
_REPORT = re.compile(r"年度报告|年报|工作报告|年度工作报告")
_REJECT = re.compile(
    r"通知|报送|指南|要点|制度|报表|目录|规定|办法|方案|意见|征集|督查|考核|评估|检查|通报|解读|图解|"
    r"印发|转发|网站|统计表|公示|目标|计划|总结会|培训|申请表|更正|说明"
)
_YEAR = re.compile(r"(20\d{2})\s*年")
_YEAR_TOKEN = re.compile(r"(?:关于)?\s*20\d{2}\s*年度?|\s*关于\s*|[【】\[\]（）()《》“”\"'：:，,、\s]")
_GENERIC = re.compile(r"^(?:本|我|全|该|各)|^[市县区镇乡省](?:人民)?政府$")


@dataclass(frozen=True)
class TitleInfo:
    is_annual_report: bool
    year: int | None
    agency: str | None


def title_year(title: str) -> int | None:
    m = _YEAR.search(fold(title))
    if not m:
        return None
    year = int(m.group(1))
    return year if 2000 <= year <= 2100 else None


def title_agency(title: str) -> str | None:
    """The body named before the report phrase, with years and connectives removed."""
    text = fold(title).strip()
    m = _SUBJECT.search(text)
    if not m:
        return None
    head = text[: m.start()]
    head = re.sub(r"(?:关于)?(?:20\d{2})\s*年度?(?:的)?", "", head)
    head = _YEAR_TOKEN.sub("", head)
    head = re.sub(r"(?:的|关于)$", "", head)
    if len(head) < 2 or not re.search(r"[\u4e00-\u9fff]", head) or _GENERIC.match(head):
        return None
    return head


def classify_title(title: str) -> TitleInfo:
    text = fold(title or "").strip()
    compact = re.sub(r"\s+", "", text)
    is_report = bool(_SUBJECT.search(compact) and _REPORT.search(compact) and not _REJECT.search(compact))
    return TitleInfo(is_report, title_year(compact), title_agency(compact) if is_report else None)
