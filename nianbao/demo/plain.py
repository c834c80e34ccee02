"""Plain portals: a list page with ?page=N and 首页/上一页/下一页/尾页 links."""

from __future__ import annotations

import math
from html import escape

from nianbao.demo import chrome
from nianbao.demo.catalog import Column
from nianbao.demo.detail import SiteContext
from nianbao.demo.web import Response, not_found


def column_page(ctx: SiteContext, column: Column, page: int, crumbs: list[tuple[str, str]]) -> Response:
    entries = ctx.catalog.items_in(column.key, ctx.day)  # type: ignore[arg-type]
    pages = max(1, math.ceil(len(entries) / column.per_page))
    if not 1 <= page <= pages:
        return not_found(ctx.portal.charset)
    shown = entries[(page - 1) * column.per_page:page * column.per_page]
    links = [(placement.path, item.title,
              placement.declared.strftime("%Y-%m-%d") if placement.declared else None)
             for item, placement in shown]

    def to(n: int) -> str:
        return column.path if n == 1 else f"{column.path}?page={n}"

    pager = [f'<a href="{to(1)}">首页</a>']
    if page > 1:
        pager.append(f'<a href="{to(page - 1)}">上一页</a>')
    if page < pages:
        pager.append(f'<a href="{to(page + 1)}">下一页</a>')
    pager.append(f'<a href="{to(pages)}">尾页</a>')
    pager.append(f"<span>共{len(entries)}条 第{page}/{pages}页</span>")
    body = (f'<div class="column"><h2>{escape(column.name)}</h2>' + chrome.link_list(links, "news-list")
            + '<div class="pager">' + " ".join(pager) + "</div></div>")
    return ctx.page(column.name, body, crumbs=crumbs)
