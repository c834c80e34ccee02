"""The words of a notification: Chinese text with the ids a reader needs to look things up.

A message is stored as one string: the first line is the title, the rest the body. Digest text
holds no timestamp, so equal content means an equal string (a digest is only resent on change).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from storage.clock import as_china
from storage.notifications import AlertInfo, BodyInfo

PREFIX = "【年报监测】"

KIND_LABELS = {
    "missing": "逾期未发布年报",
    "late": "年报逾期发布",
    "withdrawn": "年报已被撤下",
    "unreachable": "网站无法访问，无法核实",
    "inconsistent": "年报数据未通过一致性校验",
    "backdated": "年报发布日期疑似倒签",
}

LEVEL_LABELS = {
    "county_government": "县级政府",
    "county_department": "县级部门",
    "township": "乡镇",
    "subdistrict": "街道",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def _stamp(value: datetime | None) -> str:
    return as_china(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _body_line(body: BodyInfo | None, agency_id: str) -> str:
    if body is None:
        return f"单位：{agency_id}"
    level = LEVEL_LABELS.get(body.level, body.level)
    return f"单位：{body.name}（{body.id}，{level}）"


def _parent_line(bodies: Mapping[str, BodyInfo], body: BodyInfo | None) -> list[str]:
    if body is None or not body.parent_id:
        return []
    parent = bodies.get(body.parent_id)
    return [f"上级单位：{parent.name if parent else body.parent_id}（{body.parent_id}）"]


def opened_message(alert: AlertInfo, bodies: Mapping[str, BodyInfo]) -> str:
    body = bodies.get(alert.agency_id)
    name = body.name if body else alert.agency_id
    lines = [
        f"{PREFIX}新告警：{name} {alert.year}年度{kind_label(alert.kind)}",
        f"告警编号：#{alert.id}（类型 {alert.kind}）",
        _body_line(body, alert.agency_id),
        *_parent_line(bodies, body),
        f"报告年度：{alert.year}",
        f"情况：{kind_label(alert.kind)}",
        f"说明：{alert.message}",
        f"发现时间：{_stamp(alert.created_at)}",
    ]
    return "\n".join(lines)


def resolved_message(alert: AlertInfo, bodies: Mapping[str, BodyInfo]) -> str:
    body = bodies.get(alert.agency_id)
    name = body.name if body else alert.agency_id
    lines = [
        f"{PREFIX}告警解除：{name} {alert.year}年度{kind_label(alert.kind)}",
        f"告警编号：#{alert.id}（类型 {alert.kind}）已解除",
        _body_line(body, alert.agency_id),
        *_parent_line(bodies, body),
        f"报告年度：{alert.year}",
        f"原告警：{alert.message}",
        f"发现时间：{_stamp(alert.created_at)}",
        f"解除时间：{_stamp(alert.resolved_at)}",
    ]
    return "\n".join(lines)


def digest_message(parent_id: str, alerts: Sequence[AlertInfo], bodies: Mapping[str, BodyInfo]) -> str:
    """Open problems of one supervising body's subordinates, grouped by kind."""
    parent = bodies.get(parent_id)
    parent_name = parent.name if parent else parent_id
    if not alerts:
        return "\n".join(
            [
                f"{PREFIX}{parent_name} 所属单位年报情况汇总：无未解决问题",
                f"上级单位：{parent_name}（{parent_id}）",
                "此前汇总中的问题均已解决。",
            ]
        )
    units = {a.agency_id for a in alerts}
    lines = [
        f"{PREFIX}{parent_name} 所属单位年报情况汇总：{len(units)}个单位，{len(alerts)}项问题",
        f"上级单位：{parent_name}（{parent_id}）",
    ]
    order = {kind: index for index, kind in enumerate(KIND_LABELS)}
    kinds = sorted({a.kind for a in alerts}, key=lambda k: (order.get(k, len(order)), k))
    for kind in kinds:
        group = sorted(
            (a for a in alerts if a.kind == kind),
            key=lambda a: (bodies[a.agency_id].name if a.agency_id in bodies else a.agency_id, a.year, a.id),
        )
        lines.append("")
        lines.append(f"{kind_label(kind)}（{kind}，{len(group)}项）：")
        for alert in group:
            body = bodies.get(alert.agency_id)
            name = body.name if body else alert.agency_id
            lines.append(f"- {name}（{alert.agency_id}）{alert.year}年度  告警 #{alert.id}")
    return "\n".join(lines)


def split_message(text: str) -> tuple[str, str]:
    """(title, body) of a stored message."""
    title, _, body = text.partition("\n")
    return title, body or title
