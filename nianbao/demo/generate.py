"""Decide, from a seed, everything the sample county publishes and when.

Pure and deterministic: the same seed and scale give the same catalog. Report content is drawn
with ``documents.random_content``; rendering to HTML/PDF/DOCX happens later, on request.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources

from nianbao.demo import documents
from nianbao.demo.bodies import COUNTY, Body, county_bodies
from nianbao.demo.catalog import Catalog, Column, Item, Placement, Portal, Version

LEGACY_DOC_TRUTH = "legacy-report.json"  # the expected sections of data/legacy-report.doc
LAST_YEAR = 2024
FLAKY_HEALTHY_FROM = date(2024, 3, 1)

# Injected situations, all on the 2023 reports, keyed by what happens.
CASE_LATE = "late"
CASE_MISSING = "missing"
CASE_NO_DATE = "no_date"
CASE_WITHDRAWN = "withdrawn"
CASE_BACKDATED = "backdated"
CASE_CHANGED = "changed"
CASE_REPOST = "repost"
CASE_ALIAS = "alias_title"
CASE_NO_YEAR = "no_year_title"
CASE_PENDING = "pending"  # a body with a later local deadline publishes after the demo's last crawl
PENDING_PUBLISHED = date(2024, 6, 20)


def _portals() -> dict[str, Portal]:
    portals = [
        Portal("county", f"{COUNTY}人民政府", "trs", charset="gb2312"),
        Portal("xxgk", f"{COUNTY}政府信息公开平台", "hanweb"),
        Portal("gkmlpt", f"{COUNTY}政府信息公开目录", "gkmlpt"),
        Portal("towns", f"{COUNTY}乡镇（街道）政务公开", "plain"),
        Portal("waf", f"{COUNTY}大岭镇人民政府", "plain", guard="waf"),
        Portal("jsl", f"{COUNTY}北山街道办事处", "plain", guard="jsl"),
        Portal("slow", f"{COUNTY}审计局", "plain", guard="timeout"),
        Portal("flaky", f"{COUNTY}望云镇人民政府", "plain", guard="waf", healthy_from=FLAKY_HEALTHY_FROM),
        Portal("mirror", "政府网站镜像", "mirror"),
    ]
    return {p.key: p for p in portals}


def _columns(town_slugs: dict[str, str]) -> dict[str, Column]:
    base = "/zwgk/zfxxgknb/"
    columns = [
        Column("gov", "county", f"{base}xzfnb/", "县政府年报", 20, {"channel": 1301}),
        Column("dept", "county", f"{base}bmnb/", "部门年报", 20, {"channel": 1302}),
        Column("town", "county", f"{base}xzjdnb/", "乡镇（街道）年报", 20, {"channel": 1303}),
        Column("draft", "county", f"{base}draft/", "年报草稿", 20, {"channel": 1399}, hidden=True),
        Column("xxgk-dept", "xxgk", "/col/col4521/index.html", "部门政府信息公开年报", 5,
               {"columnid": 4521, "unitid": 18811, "webid": 37, "appid": 1, "permissiontype": 0,
                "webname": f"{COUNTY}政府信息公开平台"}),
        Column("gkmlpt-nb", "gkmlpt", "/gkmlpt/index", "政府信息公开年报", 10, {"cat": 2701, "sid": 759012}),
        Column("waf", "waf", "/zwgk/ndbg/", "政府信息公开年报", 5),
        Column("jsl", "jsl", "/zwgk/ndbg/", "政府信息公开年报", 5),
        Column("slow", "slow", "/zwgk/ndbg/", "政府信息公开年报", 5),
        Column("flaky", "flaky", "/zwgk/ndbg/", "政府信息公开年报", 5),
    ]
    for body_id, slug in town_slugs.items():
        columns.append(Column(f"towns-{body_id}", "towns", f"/{slug}/zwgk/ndbg/", "政府信息公开年报", 4))
    return {c.key: c for c in columns}


@dataclass(frozen=True)
class _Home:
    """Where one body publishes and what its registry line points at."""

    column: str
    registry_portal: str
    registry_path: str


def _assign_homes(bodies: list[Body]) -> tuple[dict[str, _Home], dict[str, str]]:
    """Spread bodies over platforms the way a real county's bodies are spread."""
    homes: dict[str, _Home] = {}
    town_slugs: dict[str, str] = {}
    depts = [b for b in bodies if b.level == "county_department" and b.in_registry]
    towns = [b for b in bodies if b.level in ("township", "subdistrict")]
    for body in bodies:
        if body.level == "county_government":
            homes[body.id] = _Home("gov", "county", "/")
    for i, body in enumerate(depts):
        if body.id == "yunxi-dept-020":  # 审计局's own site hangs
            homes[body.id] = _Home("slow", "slow", "/")
        elif i % 20 in (12, 13, 14, 15):
            homes[body.id] = _Home("xxgk-dept", "xxgk", "/col/col4521/index.html")
        elif i % 20 in (16, 17, 18):
            homes[body.id] = _Home("gkmlpt-nb", "gkmlpt", "/gkmlpt/index")
        else:
            homes[body.id] = _Home("dept", "county", "/zwgk/zfxxgknb/bmnb/")
    special = {"yunxi-town-011": ("waf", "waf"), "yunxi-sub-004": ("jsl", "jsl"),
               "yunxi-town-010": ("flaky", "flaky")}
    for i, body in enumerate(towns):
        if body.id in special:
            column, portal = special[body.id]
            homes[body.id] = _Home(column, portal, "/")
        elif i % 2 == 0:
            # Half the townships are registered with the county site root only.
            path = "/" if i % 4 == 0 else "/zwgk/zfxxgknb/xzjdnb/"
            homes[body.id] = _Home("town", "county", path)
        else:
            slug = f"t{i + 1:03d}"
            town_slugs[body.id] = slug
            homes[body.id] = _Home(f"towns-{body.id}", "towns", f"/{slug}/zwgk/ndbg/")
    return homes, town_slugs


def _title(rng: random.Random, body: Body, year: int, *, use_alias: bool, no_year: bool) -> str:
    name = rng.choice(body.aliases) if use_alias and body.aliases else body.name
    if no_year:
        return f"{name}政府信息公开工作年度报告"
    form = rng.randrange(4)
    if form == 0:
        return f"{name}{year}年度政府信息公开工作年度报告"
    if form == 1:
        return f"{year}年{name}政府信息公开年报"
    if form == 2:
        return f"{name}关于{year}年政府信息公开工作的年度报告"
    return f"{name}{year}年政府信息公开工作年度报告"


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 17), rng.randrange(60), rng.randrange(60)))


def _publication(rng: random.Random, body: Body, year: int) -> tuple[str, date | None]:
    """(outcome, declared date) for an ordinary (agency, year)."""
    deadline = body.deadline(year)
    roll = rng.random()
    if roll < 0.07 and year < 2023:
        return "missing", None
    if roll < 0.2:
        return "late", deadline + timedelta(days=rng.randint(3, 80))
    if body.level == "county_government":
        return "on_time", date(year + 1, rng.choice([2, 3]), rng.randint(1, 28))
    return "on_time", date(year + 1, 1, rng.randint(5, 31))


class _Numbers:
    """The CMS id sequence: ids grow with time like a real CMS's."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.value = 5_000_000  # never reads like a year, so an undated URL stays undated

    def next(self) -> int:
        self.value += self.rng.randint(3, 400)
        return self.value


def _detail_path(column: Column, number: int, day: datetime | date, platform: str) -> str:
    if platform == "trs":
        return f"{column.path}{day:%Y%m}/t{day:%Y%m%d}_{number}.html"
    if platform == "hanweb":
        return f"/art/{day.year}/{day.month}/{day.day}/art_{column.params['columnid']}_{number}.html"
    if platform == "gkmlpt":
        return f"/gkmlpt/content/{number // 1_000_000}/{number // 1000}/post_{number}.html"
    return f"{column.path}content_{number}.html"


def _attachment_path(column: Column, number: int, day: datetime | date, platform: str, ext: str) -> str:
    if platform == "trs":
        return f"{column.path}{day:%Y%m}/P0{day:%Y%m%d}{number}{ext}"
    if platform == "hanweb":
        return f"/module/download/downfile.jsp?classid=0&filename={number}{ext}"
    if platform == "gkmlpt":
        return f"/attachment/0/{number // 1000}/{number}{ext}"
    return f"/uploadfiles/{day:%Y%m}/{number}{ext}"


_NON_REPORTS = [
    ("{name}政府信息公开指南", date(2021, 3, 15),
     "为便于公民、法人和其他组织获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。"),
    ("{year}年政务公开工作要点", None,
     "为深入推进政务公开标准化规范化建设，现将本年度政务公开工作要点印发给你们，请认真贯彻落实。"),
    ("关于报送{year}年度政府信息公开工作年度报告的通知", None,
     "各乡镇人民政府、街道办事处，县政府各部门：请于1月31日前在本单位网站公开上一年度政府信息公开工作年度报告。"),
    ("{name}网站{year}年度工作报表", None,
     "政府网站工作年度报表：网站名称、首页网址、主办单位、独立用户访问总量、网站总访问量。"),
]


class _Builder:
    def __init__(self, seed: int, scale: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.scale = scale
        self.numbers = _Numbers(random.Random(seed + 1))
        self.portals = _portals()
        self.bodies = county_bodies(self.rng, scale)
        self.homes, town_slugs = _assign_homes(self.bodies)
        self.columns = _columns(town_slugs)
        self.items: list[Item] = []

    def platform(self, column_key: str) -> str:
        return self.portals[self.columns[column_key].portal].platform

    def place(self, column_key: str, declared: datetime | None, appear: date, *,
              gone: date | None = None, number: int, attachment_ext: str | None = None) -> Placement:
        column = self.columns[column_key]
        platform = self.platform(column_key)
        url_day = declared or appear
        path = _detail_path(column, number, url_day, platform)
        attachment = None
        if attachment_ext:
            attachment = _attachment_path(column, number, url_day, platform, attachment_ext)
        if not declared and platform in ("trs", "hanweb"):
            raise ValueError("TRS and Hanweb put the date in the URL; an undated page needs another platform")
        return Placement(column_key, path, declared, appear, gone, attachment)

    def cases_for(self, body: Body) -> dict[int, tuple[str, ...]]:
        table = {
            "yunxi-dept-002": (CASE_LATE,),
            "yunxi-dept-003": (CASE_MISSING,),
            "yunxi-dept-004": (CASE_WITHDRAWN,),
            "yunxi-dept-005": (CASE_BACKDATED,),
            "yunxi-dept-006": (CASE_ALIAS,),
            "yunxi-dept-007": (CASE_NO_YEAR,),
            "yunxi-dept-018": (CASE_REPOST,),
            "yunxi-town-002": (CASE_NO_DATE,),
            "yunxi-town-001": (CASE_CHANGED,),
            "yunxi-town-007": (CASE_PENDING,),
        }
        return {2023: table[body.id]} if body.id in table else {}

    def build(self) -> Catalog:
        for body in self.bodies:
            self.add_reports(body)
        self.add_legacy_doc()
        self.add_non_reports()
        self.add_mirror_and_traps()
        registry_portal = {b.id: (self.homes[b.id].registry_portal, self.homes[b.id].registry_path)
                           for b in self.bodies if b.id is not None}
        return Catalog(self.portals, self.columns, self.items, self.bodies, registry_portal)

    def report_form(self, body: Body, year: int) -> str:
        if body.id == "yunxi-dept-009" and year == 2022:
            return "image_pdf"
        roll = self.rng.random()
        if roll < 0.09:
            return "pdf"
        if roll < 0.15:
            return "docx"
        return "html"

    def add_reports(self, body: Body) -> None:
        home = self.homes[body.id] if body.id else _Home("dept", "county", "/")
        cases = self.cases_for(body)
        legacy_layout = body.id == "yunxi-town-005"
        carried: dict[str, int] | None = None  # last year's carried_out, for the carry-over rule
        for year in range(body.since, LAST_YEAR + 1):  # LAST_YEAR's reports appear early the year after
            case = cases.get(year, ())
            outcome, declared_day = _publication(self.rng, body, year)
            if year == 2023 and body.level == "county_government":
                outcome, declared_day = "on_time", date(2024, 3, 20)
            if case:
                outcome, declared_day = "on_time", date(2024, 1, self.rng.randint(8, 26))
            if CASE_LATE in case:
                declared_day = date(2024, 3, 5)
            if CASE_PENDING in case:
                declared_day = PENDING_PUBLISHED
            if CASE_MISSING in case or outcome == "missing":
                carried = None
                continue
            assert declared_day is not None
            appear = declared_day + timedelta(days=self.rng.choice([0, 0, 0, 1]))
            gone = None
            if CASE_BACKDATED in case:
                appear = date(2024, 3, 10)
            if CASE_WITHDRAWN in case:
                gone = date(2024, 4, 1)
            column = home.column
            if CASE_NO_DATE in case and self.platform(column) != "plain":
                raise ValueError(f"{body.id}: an undated report needs a portal without dates in its URLs")
            declared = None if CASE_NO_DATE in case else _at(declared_day, self.rng)
            layout = "2019" if year <= 2020 or legacy_layout else "2021"
            consistent = self.rng.random() > 0.06
            zero = body.level in ("township", "subdistrict") and self.rng.random() < 0.12
            zero = zero and not (carried and any(carried.values()))
            form = "html" if case else self.report_form(body, year)
            title = _title(self.rng, body, year, use_alias=CASE_ALIAS in case or self.rng.random() < 0.15,
                           no_year=CASE_NO_YEAR in case)
            number = self.numbers.next()
            ext = {"pdf": ".pdf", "image_pdf": ".pdf", "docx": ".docx", "doc": ".doc"}.get(form)
            placements = [self.place(column, declared, appear, gone=gone, number=number, attachment_ext=ext)]
            if CASE_REPOST in case:
                repost_day = declared_day + timedelta(days=3)
                placements.append(self.place("dept", _at(repost_day, self.rng), repost_day,
                                             number=self.numbers.next()))
            content_rng = random.Random(f"{self.seed}/{body.name}/{year}")
            versions = [Version(appear, documents.random_content(
                content_rng, body.name, year, layout, consistent=consistent and CASE_CHANGED not in case,
                zero=zero, title=title, published_at=declared_day if declared else None, carried_in=carried),
                consistent and CASE_CHANGED not in case)]
            if CASE_CHANGED in case:
                versions.append(Version(date(2024, 4, 15), documents.random_content(
                    content_rng, body.name, year, layout, zero=zero, title=title,
                    published_at=declared_day, carried_in=carried), True))
            last = versions[-1].content.requests["carried_out"]
            carried = {column: last[column] for column in documents.APPLICANT_KEYS}
            self.items.append(Item(
                id=f"r{number}", kind="report", title=title, placements=placements, body=body, year=year,
                form=form, versions=versions, cases=case, layout=layout, number=number))

    def add_legacy_doc(self) -> None:
        """A neighbouring county's township report, kept as a legacy .doc in the townships' column."""
        sections = json.loads(resources.files("nianbao.demo").joinpath("data", LEGACY_DOC_TRUTH).read_text("utf-8"))
        body = Body(None, sections["agency"], sections["agency"], (), "township", None)
        declared = _at(date(sections["year"] + 1, 1, 19), self.rng)
        title = documents.default_title(body.name, sections["year"])
        content = documents.ReportContent(
            agency=body.name, year=sections["year"], layout=sections["layout"], title=title,
            published_at=declared.date(), active_disclosure=sections["active_disclosure"],
            requests=sections["requests"], review_litigation=sections["review_litigation"], intro=[])
        number = self.numbers.next()
        self.items.append(Item(
            id=f"r{number}", kind="report", title=title, body=body, year=sections["year"], form="doc",
            layout=sections["layout"], number=number, versions=[Version(declared.date(), content, True)],
            placements=[self.place("town", declared, declared.date(), number=number, attachment_ext=".doc")]))

    def add_non_reports(self) -> None:
        for column in self.columns.values():
            portal = self.portals[column.portal]
            if portal.platform == "mirror" or column.hidden:
                continue
            owner = column.key.removeprefix("towns-")
            name = next((b.name for b in self.bodies if b.id == owner), portal.title)
            picks = _NON_REPORTS if column.portal in ("county", "xxgk", "gkmlpt") else _NON_REPORTS[:1]
            for template, fixed_day, text in picks:
                years = [None] if fixed_day else [2022, 2023]
                for year in years:
                    day = fixed_day or (date(year + 1, 1, 5) if "报送" in template else
                                        date(year, 4, 10) if "要点" in template else date(year + 1, 1, 15))
                    if "报送" in template and column.portal != "county":
                        continue
                    number = self.numbers.next()
                    declared = _at(day, self.rng)
                    title = template.format(name=name, year=year)
                    self.items.append(Item(
                        id=f"n{number}", kind="other", title=title, number=number, text=text,
                        placements=[self.place(column.key, declared, day, number=number)]))

    def add_mirror_and_traps(self) -> None:
        # Drafts in the robots-disallowed column: they look like reports and must never be fetched.
        for body in self.bodies[1:3]:
            number = self.numbers.next()
            day = date(2024, 1, 3)
            self.items.append(Item(
                id=f"n{number}", kind="other", title=f"（草稿）{body.name}2023年政府信息公开工作年度报告",
                number=number, text="内部审核稿，请勿转载。",
                placements=[self.place("draft", _at(day, self.rng), day, number=number)]))
        # A reposted copy on an off-site mirror, linked from the departments' column.
        originals = [i for i in self.items if i.kind == "report" and i.form == "html"
                     and i.placements[0].column == "dept" and i.year == 2022]
        for original in originals[:2]:
            first = original.placements[0]
            assert first.declared is not None
            number = self.numbers.next()
            day = first.appear + timedelta(days=20)
            self.items.append(Item(
                id=f"m{number}", kind="mirror_link", title=f"【转载】{original.title}", number=number,
                text=original.id, placements=[Placement("dept", f"/copy/{original.id}.html",
                                                         _at(day, self.rng), day)]))


def build_catalog(seed: int = 2024, scale: int = 1) -> Catalog:
    """The full sample county for ``seed``; ``scale`` multiplies its departments and townships."""
    if scale < 1:
        raise ValueError(f"scale must be at least 1, got {scale}")
    return _Builder(seed, scale).build()
