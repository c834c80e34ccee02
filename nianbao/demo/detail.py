"""Detail pages (one article) in each platform's manner, and their attachments."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from nianbao.demo import chrome
from nianbao.demo.article import AttachmentCache, article_html, attachment_name, media_type
from nianbao.demo.catalog import Catalog, Item, Placement, Portal
from nianbao.demo.web import Response, html


@dataclass
class SiteContext:
    """What one portal needs to answer one request."""

    catalog: Catalog
    portal: Portal
    day: object  # datetime.date; the "as of" date of this request
    attachments: AttachmentCache
    mirror_root: str | None  # absolute URL of the off-site mirror, linked from the footer
    nav: list[tuple[str, str]]

    def page(self, title: str, body: str, *, head: str = "", crumbs: list[tuple[str, str]] = ()) -> Response:
        text = chrome.page(site=self.portal.title, title=title, body=body, nav=self.nav, head=head,
                           charset=self.portal.charset, mirror_url=self.mirror_root, crumbs=list(crumbs))
        return html(text, self.portal.charset)


def _attachment_href(placement: Placement, platform: str) -> str | None:
    if placement.attachment is None:
        return None
    if platform == "trs":
        return "./" + posixpath.basename(placement.attachment)
    return placement.attachment


def _source(item: Item) -> str:
    return item.body.short if item.body is not None else "县政府办公室"


def detail_page(ctx: SiteContext, item: Item, placement: Placement,
                crumbs: list[tuple[str, str]] = ()) -> Response:
    platform = ctx.portal.platform
    stamp = placement.declared.strftime("%Y-%m-%d %H:%M") if placement.declared else None
    body = article_html(item, placement, ctx.day, platform, _attachment_href(placement, platform))
    title = escape(item.title)
    head = f'<meta name="ArticleTitle" content="{title}">\n<meta name="ContentSource" content="{escape(_source(item))}">'
    if stamp and platform in ("trs", "hanweb", "gkmlpt"):
        head += f'\n<meta name="PubDate" content="{stamp}">'
    if platform == "gkmlpt":
        info = _gkmlpt_info(item, placement)
    elif platform == "hanweb":
        info = (f'<div class="info"><span>发布日期：{placement.declared:%Y-%m-%d}</span>'
                f'<span>信息来源：{escape(_source(item))}</span>'
                '<span>浏览次数：<script src="/module/visitcount/articlehits.jsp"></script></span></div>')
    elif stamp:
        info = (f'<div class="info">发布时间：{stamp}　来源：{escape(_source(item))}　'
                '【字体：<a href="javascript:void(0)">大</a> <a href="javascript:void(0)">中</a> '
                '<a href="javascript:void(0)">小</a>】</div>')
    else:
        info = f'<div class="info">来源：{escape(_source(item))}　浏览次数：{item.number % 997}</div>'
    content = f'<div class="article"><h1 class="title">{title}</h1>{info}\n{body}</div>'
    return ctx.page(item.title, content, head=head, crumbs=crumbs)


def _gkmlpt_info(item: Item, placement: Placement) -> str:
    day = f"{placement.declared:%Y-%m-%d}" if placement.declared else ""
    rows = [("索引号", f"11361199MB{item.number % 100000:05d}/{item.year or 2024}-{item.number % 1000:05d}"),
            ("分类", "政府信息公开年报"), ("发布机构", _source(item)), ("成文日期", day),
            ("名称", item.title), ("发布日期", day)]
    cells = "".join(f"<tr><th>{k}：</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f'<table class="classify">{cells}</table>'


def attachment_response(ctx: SiteContext, item: Item) -> Response:
    data = ctx.attachments.get(item, ctx.day)  # type: ignore[arg-type]
    name = quote(attachment_name(item))
    return Response(200, data, media_type(item), {"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})
