"""TRS WCM columns: static GBK pages, index.html, index_1.html, … announced only by createPageHTML."""

from __future__ import annotations

import math
import re
from html import escape

from nianbao.demo import chrome
from nianbao.demo.catalog import Column
from nianbao.demo.detail import SiteContext
from nianbao.demo.web import Response, not_found

_PAGE = re.compile(r"^index(?:_(\d+))?\.html?$")

# The pager script real TRS sites include; it writes the page links with document.write, so a
# client that runs no JavaScript sees no link to index_1.html at all.
PAGER_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  function href(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  document.write("<div class='page'>");
  if(nCurrIndex > 0){ document.write("<a href='" + href(nCurrIndex - 1) + "'>上一页</a>"); }
  for(var i = 0; i < _nPageCount; i++){
    document.write(i == nCurrIndex ? "<span>" + (i + 1) + "</span>" : "<a href='" + href(i) + "'>" + (i + 1) + "</a>");
  }
  if(nCurrIndex < _nPageCount - 1){ document.write("<a href='" + href(nCurrIndex + 1) + "'>下一页</a>"); }
  document.write("</div>");
}
"""


def page_index(column: Column, path: str) -> int | None:
    """The page number a path asks for in ``column`` (0 for index.html), or None."""
    if path == column.path:
        return 0
    if not path.startswith(column.path):
        return None
    match = _PAGE.match(path[len(column.path):])
    if match is None:
        return None
    return int(match.group(1) or 0)


def column_page(ctx: SiteContext, column: Column, index: int, crumbs: list[tuple[str, str]]) -> Response:
    entries = ctx.catalog.items_in(column.key, ctx.day)  # type: ignore[arg-type]
    pages = max(1, math.ceil(len(entries) / column.per_page))
    if index >= pages:
        return not_found(ctx.portal.charset)
    shown = entries[index * column.per_page:(index + 1) * column.per_page]
    links = []
    for item, placement in shown:
        if item.kind == "mirror_link":
            href = (ctx.mirror_root or "/").rstrip("/") + placement.path
        else:
            href = "./" + placement.path[len(column.path):]
        day = placement.declared.strftime("%Y-%m-%d") if placement.declared else None
        links.append((href, item.title, day))
    body = (
        f'<div class="column"><h2 class="column-title">{escape(column.name)}</h2>'
        + chrome.link_list(links)
        + '<script type="text/javascript" src="/js/createPageHTML.js"></script>'
        + f'<script type="text/javascript">createPageHTML({pages}, {index}, "index", "html");</script>'
        + "</div>"
    )
    return ctx.page(column.name, body, crumbs=crumbs)
