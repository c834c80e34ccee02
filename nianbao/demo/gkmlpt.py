"""Guangdong gkmlpt: an empty list page whose script names a site id; the records come as JSON
from /gkmlpt/api/all/<catalog>?page=N&sid=<sid>."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime

from nianbao.demo.catalog import Column
from nianbao.demo.detail import SiteContext
from nianbao.demo.web import SHANGHAI, Request, Response

API = re.compile(r"^/gkmlpt/api/all/(\d+)$")
OTHER_CATALOGS = [(2699, "政府信息公开指南"), (2700, "政府信息公开制度"), (2702, "法定主动公开内容")]


def index_page(ctx: SiteContext, column: Column, crumbs: list[tuple[str, str]]) -> Response:
    tree = [{"id": cid, "name": name, "parent": 0} for cid, name in OTHER_CATALOGS]
    tree.insert(1, {"id": column.params["cat"], "name": column.name, "parent": 0})
    script = (
        "<script>\n"
        f"window.GKMLPT = {{ SID: '{column.params['sid']}', ROOT_URL: '/gkmlpt/', "
        f"TREE: {json.dumps(tree, ensure_ascii=False)} }};\n"
        "</script>\n<script src=\"/gkmlpt/static/js/gkmlpt.min.js\"></script>"
    )
    body = ('<div id="gkmlpt-app"><div class="gkml-tree"></div>'
            '<div class="gkml-list"><p class="loading">正在加载……</p></div></div>' + script)
    return ctx.page("政府信息公开目录", body, crumbs=crumbs)


def _epoch(moment: datetime) -> int:
    return int(moment.replace(tzinfo=SHANGHAI).timestamp())


def api(ctx: SiteContext, request: Request, catalog_id: int) -> Response:
    column = next((c for c in ctx.catalog.columns_of(ctx.portal.key) if c.params.get("cat") == catalog_id), None)
    query = request.query
    try:
        page = int(query.get("page", "1"))
    except ValueError:
        page = 1
    entries = []
    if column is not None and query.get("sid") == str(column.params["sid"]):
        entries = ctx.catalog.items_in(column.key, ctx.day)  # type: ignore[arg-type]
    per_page = column.per_page if column else 10
    chosen = entries[(page - 1) * per_page:page * per_page] if page >= 1 else []
    articles = []
    for item, placement in chosen:
        stamp = placement.declared or datetime(placement.appear.year, placement.appear.month, placement.appear.day)
        articles.append({
            "id": item.number, "title": item.title,
            "url": f"http://{request.headers.get('host', '127.0.0.1')}{placement.path}",
            "first_publish_time": _epoch(stamp), "publish_time": _epoch(stamp),
            "date": _epoch(stamp), "identifier": f"11361199MB/{item.year or stamp.year}-{item.number % 100000:05d}",
            "document_number": "", "source": item.body.short if item.body else "",
            "classify_main_name": column.name if column else "",
        })
    payload = {"total": len(entries), "page": page, "page_size": per_page,
               "total_page": max(1, math.ceil(len(entries) / per_page)), "articles": articles}
    return Response(200, json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                    "application/json; charset=utf-8")
