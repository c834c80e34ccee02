"""The bodies of the sample county: names, aliases, levels, parents.

Names follow how real counties name their units (县财政局, 某某镇人民政府, 某某街道办事处), so the
crawler's name matching meets the same variety it meets on real portals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

COUNTY = "云溪县"
REGION = "云岭省丰泽市云溪县"

# (short name, extra aliases). Short names are what reports print without the county prefix.
DEPARTMENTS: list[tuple[str, list[str]]] = [
    ("发展和改革局", ["发改局"]),
    ("教育体育局", ["教体局"]),
    ("科学技术局", ["科技局"]),
    ("工业和信息化局", ["工信局"]),
    ("公安局", []),
    ("民政局", []),
    ("司法局", []),
    ("财政局", []),
    ("人力资源和社会保障局", ["人社局"]),
    ("自然资源局", []),
    ("住房和城乡建设局", ["住建局"]),
    ("交通运输局", []),
    ("水利局", []),
    ("农业农村局", []),
    ("商务局", []),
    ("文化广电旅游局", ["文广旅局"]),
    ("卫生健康委员会", ["卫健委"]),
    ("退役军人事务局", []),
    ("应急管理局", []),
    ("审计局", []),
    ("市场监督管理局", ["市场监管局"]),
    ("统计局", []),
    ("医疗保障局", ["医保局"]),
    ("林业局", []),
]

TOWNSHIPS = ["城关镇", "青石镇", "白沙镇", "龙泉镇", "桃源乡", "石门乡", "马坪镇", "高桥镇", "柳溪乡", "望云镇", "大岭镇"]
SUBDISTRICTS = ["东城街道", "西城街道", "南湖街道", "北山街道"]

# Townships held to a local rule instead of the statutory 01-31 (the registry's ``deadline``).
LOCAL_DEADLINES = {"马坪镇": "06-30"}

# Bodies whose reports sit in the county's columns although nobody registered them.
UNREGISTERED = ["云溪县供销合作社联合社", "云溪县融媒体中心", "云溪县红十字会"]

_SYLLABLES = "安宝长丹德东丰福冈高古广海和河红华佳嘉金锦靖康兰蓝乐丽林龙绿美宁平清庆瑞润山盛石顺泰潭天同万文武西祥新兴秀阳永玉远云泽昭中竹"
_DEPT_KINDS = ["服务中心", "事务中心", "管理局", "办公室"]


@dataclass(frozen=True)
class Body:
    """One body that publishes (or should publish) an annual report."""

    id: str | None  # None: not in the registry
    name: str  # official name
    short: str  # the name without the county prefix, as many titles print it
    aliases: tuple[str, ...]
    level: str  # county_government | county_department | township | subdistrict
    parent: str | None
    since: int = 2019
    tags: frozenset[str] = field(default_factory=frozenset)
    deadline_rule: str | None = None  # "MM-DD" overriding the level's statutory deadline

    @property
    def in_registry(self) -> bool:
        return self.id is not None

    def deadline(self, year: int) -> date:
        """The deadline for the report on ``year``: the body's own rule, else 03-31 for the county, else 01-31."""
        if self.deadline_rule:
            month, day = (int(part) for part in self.deadline_rule.split("-"))
            return date(year + 1, month, day)
        if self.level == "county_government":
            return date(year + 1, 3, 31)
        return date(year + 1, 1, 31)


def _synthetic_names(rng: random.Random, count: int, suffixes: list[str], taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + rng.choice(suffixes)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def county_bodies(rng: random.Random, scale: int = 1) -> list[Body]:
    """The county government, its departments and its townships/subdistricts, ``scale`` times over."""
    gov_id = "yunxi-gov"
    bodies = [
        Body(gov_id, f"{COUNTY}人民政府", "县人民政府", ("云溪县政府", "县人民政府"), "county_government", None)
    ]
    taken = {short for short, _ in DEPARTMENTS} | set(TOWNSHIPS) | set(SUBDISTRICTS)
    departments = list(DEPARTMENTS[:20])
    towns = list(TOWNSHIPS)
    subdistricts = list(SUBDISTRICTS)
    if scale > 1:
        extra = (scale - 1) * 20
        departments += [(n, []) for n in _synthetic_names(rng, extra, _DEPT_KINDS, taken)]
        towns += _synthetic_names(rng, (scale - 1) * len(TOWNSHIPS), ["镇", "乡"], taken)
        subdistricts += _synthetic_names(rng, (scale - 1) * len(SUBDISTRICTS), ["街道"], taken)
    for i, (short, extra_aliases) in enumerate(departments, 1):
        # Recently created bureaus have no report for the early years.
        since = 2019 if i % 9 else 2021
        aliases = (f"县{short}", *(f"县{a}" for a in extra_aliases))
        bodies.append(Body(f"yunxi-dept-{i:03d}", f"{COUNTY}{short}", f"县{short}", aliases,
                           "county_department", gov_id, since))
    for i, town in enumerate(towns, 1):
        bodies.append(Body(f"yunxi-town-{i:03d}", f"{COUNTY}{town}人民政府", f"{town}人民政府",
                           (f"{town}人民政府", town, f"{COUNTY}{town}"), "township", gov_id,
                           deadline_rule=LOCAL_DEADLINES.get(town)))
    for i, sub in enumerate(subdistricts, 1):
        bodies.append(Body(f"yunxi-sub-{i:03d}", f"{COUNTY}{sub}办事处", f"{sub}办事处",
                           (f"{sub}办事处", sub, f"{COUNTY}{sub}"), "subdistrict", gov_id))
    for name in UNREGISTERED:
        bodies.append(Body(None, name, name.removeprefix(COUNTY), (), "county_department", None))
    return bodies
