"""One simulated portal: routes a request to its pages as they stand on the as-of date."""

from __future__ import annotations

from datetime import date
from html import escape

from nianbao.demo import chrome, gkmlpt, guards, hanweb, plain, trs
from nianbao.demo.article import AttachmentCache
from nianbao.demo.catalog import Catalog, Column, Item, Placement, Portal
from nianbao.demo.detail import SiteContext, attachment_response, detail_page
from nianbao.demo.web import Request, Response, cacheable, html, not_found

NB_ROOT = "/zwgk/zfxxgknb/"
ROBOTS_COUNTY = "User-agent: *\nDisallow: /was5/\nDisallow: /zwgk/zfxxgknb/draft/\nDisallow: /admin/\n"
ROBOTS_DEFAULT = "User-agent: *\nDisallow: /admin/\n"
_ASSETS = {
    "/js/createPageHTML.js": (trs.PAGER_JS, "application/javascript; charset=utf-8"),
    "/js/common.js": ("function setHome(){}\n", "application/javascript; charset=utf-8"),
    "/images/common.css": ("body{font-family:SimSun,serif}\n", "text/css"),
}


def _plain_prefix(column: Column) -> str:
    return column.path.removesuffix("/zwgk/ndbg/")


class PortalSite:
    """Answers requests for one portal of the catalog."""

    def __init__(self, catalog: Catalog, portal: Portal, attachments: AttachmentCache,
                 mirror_root: str | None) -> None:
        self.catalog = catalog
        self.portal = portal
        self.attachments = attachments
        self.mirror_root = mirror_root
        self.columns = catalog.columns_of(portal.key)
        self.details: dict[str, tuple[Item, Placement]] = {}
        self.files: dict[str, tuple[Item, Placement]] = {}
        for item in catalog.items:
            if item.kind == "mirror_link":
                continue
            for placement in item.placements:
                if catalog.columns[placement.column].portal == portal.key:
                    self.details[placement.path] = (item, placement)
                    if placement.attachment:
                        self.files[placement.attachment] = (item, placement)

    def handle(self, request: Request, day: date) -> Response:
        guard = self.portal.guard
        if guard is not None and not self.portal.reachable(day):
            if guard == "timeout":
                return guards.hang()
            if guard == "jsl":
                challenge = guards.cookie_challenge(request)
                if challenge is not None:
                    return challenge
            else:
                return guards.waf_challenge(request)
        if request.method not in ("GET", "HEAD", "POST"):
            return Response(405, b"", "text/plain")
        ctx = SiteContext(self.catalog, self.portal, day, self.attachments, self.mirror_root, self._nav(request))
        return self._route(ctx, request, day)

    # -- routing ---------------------------------------------------------------------------

    def _route(self, ctx: SiteContext, request: Request, day: date) -> Response:
        path = request.path
        if path == "/robots.txt":
            text = ROBOTS_COUNTY if self.portal.platform == "trs" else ROBOTS_DEFAULT
            return Response(200, text.encode(), "text/plain; charset=utf-8")
        if path in _ASSETS:
            text, media = _ASSETS[path]
            return Response(200, text.encode(), media)
        if self.portal.platform == "hanweb" and path == hanweb.DATAPROXY:
            return hanweb.dataproxy(ctx, request)
        if self.portal.platform == "gkmlpt" and (match := gkmlpt.API.match(path)):
            return gkmlpt.api(ctx, request, int(match.group(1)))
        if request.method == "POST":
            return Response(405, b"", "text/plain")
        if self.portal.platform == "mirror":
            return self._mirror(ctx, path, day)
        response, modified = self._page(ctx, request, day)
        return cacheable(response, modified, request) if self.portal.platform in ("trs", "plain") else response

    def _page(self, ctx: SiteContext, request: Request, day: date) -> tuple[Response, date]:
        path = request.path
        target = request.target
        if target in self.files or path in self.files:
            item, placement = self.files.get(target) or self.files[path]
            if not placement.visible(day):
                return not_found(self.portal.charset), day
            version = item.version_on(day)
            return attachment_response(ctx, item), version.start if version else placement.appear
        if path in self.details:
            item, placement = self.details[path]
            if not placement.visible(day):
                return not_found(self.portal.charset), day
            version = item.version_on(day)
            crumbs = self._crumbs(self.catalog.columns[placement.column])
            return detail_page(ctx, item, placement, crumbs), max(placement.appear, version.start if version else day)
        for column in self.columns:
            response = self._column(ctx, column, request)
            if response is not None:
                return response, self._column_modified(column, day)
        return self._navigation(ctx, path), date(2019, 1, 1)

    def _column(self, ctx: SiteContext, column: Column, request: Request) -> Response | None:
        platform = self.portal.platform
        crumbs = self._crumbs(column)
        if platform == "trs":
            index = trs.page_index(column, request.path)
            return None if index is None else trs.column_page(ctx, column, index, crumbs)
        if platform == "plain":
            if request.path not in (column.path, column.path + "index.html"):
                return None
            try:
                page = int(request.query.get("page", "1"))
            except ValueError:
                return not_found(self.portal.charset)
            return plain.column_page(ctx, column, page, crumbs)
        if platform == "hanweb" and request.path == column.path:
            return hanweb.column_page(ctx, column, crumbs)
        if platform == "gkmlpt" and request.path in (column.path, column.path + "/"):
            return gkmlpt.index_page(ctx, column, crumbs)
        return None

    def _column_modified(self, column: Column, day: date) -> date:
        stamps = [date(2019, 1, 1)]
        for item in self.catalog.items:
            for p in item.placements:
                if p.column == column.key:
                    stamps += [d for d in (p.appear, p.gone) if d is not None and d <= day]
                    stamps += [v.start for v in item.versions if v.start <= day and p.visible(day)]
        return max(stamps)

    # -- navigation pages --------------------------------------------------------------------

    def _nav(self, request: Request) -> list[tuple[str, str]]:
        platform = self.portal.platform
        if platform == "trs":
            return [("/", "首页"), ("/zwgk/", "政府信息公开"), ("/zwfw/", "政务服务"), ("/hdjl/", "互动交流"),
                    ("/zjyx/", "走进云溪")]
        if platform == "hanweb":
            return [("/", "首页"), ("/col/col4500/index.html", "政府信息公开指南"),
                    ("/col/col4521/index.html", "政府信息公开年报")]
        if platform == "gkmlpt":
            return [("/", "首页"), ("/gkmlpt/index", "政府信息公开目录")]
        prefix = self._prefix_of(request.path)
        return [(f"{prefix}/", "首页"), (f"{prefix}/zwgk/", "政务公开"), (f"{prefix}/zwdt/", "政务动态")]

    def _prefix_of(self, path: str) -> str:
        for column in self.columns:
            prefix = _plain_prefix(column)
            if prefix and (path == prefix or path.startswith(prefix + "/")):
                return prefix
        return ""

    def _crumbs(self, column: Column) -> list[tuple[str, str]]:
        if self.portal.platform == "trs":
            return [("/", "首页"), ("/zwgk/", "政务公开"), (NB_ROOT, "政府信息公开年报"), (column.path, column.name)]
        if self.portal.platform == "plain":
            prefix = _plain_prefix(column)
            return [(f"{prefix}/", "首页"), (f"{prefix}/zwgk/", "政务公开"), (column.path, column.name)]
        return [("/", "首页"), (column.path, column.name)]

    def _navigation(self, ctx: SiteContext, path: str) -> Response:
        platform = self.portal.platform
        if path in ("/", "/index.html", "/index.shtml"):
            return self._home(ctx)
        if platform == "trs" and path in ("/zwgk/", "/zwgk/index.html"):
            links = [("/zwgk/zfxxgkzn/", "政府信息公开指南"), ("/zwgk/zfxxgkzd/", "政府信息公开制度"),
                     ("/zwgk/fdzdgknr/", "法定主动公开内容"), (NB_ROOT, "政府信息公开年报")]
            return ctx.page("政府信息公开", _box("政府信息公开", links), crumbs=[("/", "首页"), ("/zwgk/", "政务公开")])
        if platform == "trs" and path in (NB_ROOT, NB_ROOT + "index.html"):
            links = [(c.path, c.name) for c in self.columns if not c.hidden]
            trap = next((c for c in self.columns if c.hidden), None)
            extra = (f'<div style="display:none"><a href="{trap.path}">{escape(trap.name)}</a></div>' if trap else "")
            search = '<p><a href="/was5/web/search?channelid=226514&amp;searchword=年报">站内搜索：年报</a></p>'
            return ctx.page("政府信息公开年报", _box("政府信息公开年报", links) + extra + search,
                            crumbs=[("/", "首页"), ("/zwgk/", "政务公开"), (NB_ROOT, "政府信息公开年报")])
        if platform == "plain":
            prefix = self._prefix_of(path)
            column = next((c for c in self.columns if _plain_prefix(c) == prefix), None)
            if column is not None and path in (f"{prefix}/zwgk/", f"{prefix}/zwgk/index.html"):
                links = [(f"{prefix}/zwgk/zn/", "政府信息公开指南"), (column.path, "政府信息公开年报")]
                return ctx.page("政务公开", _box("政务公开", links))
            if column is not None and prefix and path == prefix + "/":
                return self._home(ctx, prefix)
        return not_found(self.portal.charset)

    def _home(self, ctx: SiteContext, prefix: str = "") -> Response:
        platform = self.portal.platform
        if platform == "plain" and not prefix and self.portal.key == "towns":
            links = [(_plain_prefix(c) + "/", self._site_name(c)) for c in self.columns]
            return ctx.page("乡镇（街道）站群", _box("乡镇（街道）站群", links))
        news = [("javascript:void(0)", f"{self.portal.title}召开{m}月份工作例会", None) for m in (1, 2, 3)]
        body = ('<div class="banner"><img src="/images/banner.jpg" alt=""></div>'
                + _box("政务动态", news) + _box("快速通道", ctx.nav[1:]))
        return ctx.page("首页", body)

    def _site_name(self, column: Column) -> str:
        owner = next((b for b, (portal, path) in self.catalog.registry_portal.items()
                      if portal == self.portal.key and path == column.path), None)
        body = next((b for b in self.catalog.bodies if b.id == owner), None)
        return body.name if body else column.name

    def _mirror(self, ctx: SiteContext, path: str, day: date) -> Response:
        if path in ("/", "/index.html"):
            return html("<html><body><h1>政府网站镜像</h1></body></html>")
        report_id = path.removeprefix("/copy/").removesuffix(".html")
        item = next((i for i in self.catalog.items if i.id == report_id and i.kind == "report"), None)
        if item is None or not path.startswith("/copy/"):
            return not_found()
        return detail_page(ctx, item, item.placements[0])


def _box(title: str, links: list[tuple[str, str, str | None]] | list[tuple[str, str]]) -> str:
    entries = [(link[0], link[1], link[2] if len(link) > 2 else None) for link in links]
    return f'<div class="box"><h3>{escape(title)}</h3>{chrome.link_list(entries)}</div>'
