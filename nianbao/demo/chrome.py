"""The site furniture every real portal page carries: header, navigation, share bar, footer.

A crawler must find the report among all this, so every simulated page wears it.
"""

from __future__ import annotations

from html import escape


def page(*, site: str, title: str, body: str, nav: list[tuple[str, str]], head: str = "",
         charset: str = "utf-8", mirror_url: str | None = None, crumbs: list[tuple[str, str]] = ()) -> str:
    """A complete HTML page: ``nav`` and ``crumbs`` are (href, label) pairs."""
    nav_html = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in nav)
    crumb_html = " &gt; ".join(f'<a href="{escape(h)}">{escape(t)}</a>' for h, t in crumbs)
    mirror = (f'<a href="{escape(mirror_url)}" target="_blank">旧版网站</a> | ' if mirror_url else "")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="SiteName" content="{escape(site)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}_{escape(site)}</title>
<link rel="stylesheet" href="/images/common.css">
{head}
</head>
<body>
<div class="top-bar"><span>欢迎访问{escape(site)}</span>
<a href="javascript:void(0)" onclick="setHome()">设为首页</a> <a href="javascript:void(0)">加入收藏</a>
<a href="javascript:void(0)" class="wza">无障碍</a> <a href="javascript:void(0)">长者模式</a></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{escape(site)}"></div>
<form class="search" action="javascript:void(0)"><input type="text" placeholder="请输入关键字"></form></div>
<div class="nav"><ul>{nav_html}</ul></div>
<div class="crumbs">当前位置：{crumb_html}</div>
<div class="main">
{body}
</div>
<div class="share">分享到：<a href="javascript:void(0)" class="share-weibo">微博</a>
<a href="javascript:void(0)" class="share-wechat">微信</a>
<a href="javascript:void(0)" class="share-qq">QQ空间</a>
<a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="footer">
<p><a href="/">网站首页</a> | {mirror}<a href="javascript:void(0)">网站地图</a> | <a href="javascript:void(0)">联系我们</a></p>
<p>主办单位：{escape(site)}办公室　承办单位：云溪县大数据中心</p>
<p>网站标识码：3611990001　<a href="javascript:void(0)">云ICP备05001234号</a>　云公网安备 36119902000123号</p>
<p><img src="/images/jiucuo.png" alt="政府网站找错"> <img src="/images/dzjg.png" alt="党政机关"></p>
</div>
<script src="/js/common.js"></script>
</body>
</html>"""


def link_list(entries: list[tuple[str, str, str | None]], css: str = "list") -> str:
    """An article list: (href, title, date or None) per entry."""
    rows = []
    for href, title, day in entries:
        date_html = f"<span>{escape(day)}</span>" if day else ""
        rows.append(f'<li><a href="{escape(href)}" target="_blank" title="{escape(title)}">{escape(title)}</a>'
                    f"{date_html}</li>")
    return f'<ul class="{css}">' + "\n".join(rows) + "</ul>"
