"""The site furniture every real portal page carries: header, navigation, share bar, footer.

A crawler must find the report among all this, so every simulated page wears it. County portals
built on the common platforms carry a lot of it — a two-level menu, an accessibility toolbar,
inline statistics and menu scripts, share widgets, friendly-link selects, filing numbers — about
14 KB here, on every page. The parser's and the crawler's costs are measured on these pages, so
the furniture is kept as heavy as real portals' (theirs is often heavier).
Menu entries lead to paths this simulator does not serve (404), as dead menu links on real sites do;
their labels avoid the words a crawler follows to the report column.
"""

from __future__ import annotations

from html import escape

# (top entry, its sub-entries): a county portal's usual two-level menu.
MENU: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("走进本县", ("县情概况", "历史沿革", "行政区划", "自然资源", "人口民族", "旅游景点", "特色产业", "县域经济")),
    ("政务动态", ("本县要闻", "部门动态", "乡镇动态", "通知公告", "图片新闻", "视频新闻", "媒体关注", "领导活动")),
    ("政务服务", ("办事指南", "在线办理", "便民服务", "证照办理", "社会保障", "教育服务", "医疗卫生", "住房保障")),
    ("互动交流", ("县长信箱", "在线访谈", "征集调查", "留言选登", "热点回应", "常见问题", "投诉举报", "咨询服务")),
    ("专题专栏", ("优化营商环境", "乡村振兴", "生态环境保护", "安全生产", "疫情防控", "扫黑除恶", "双拥工作", "文明创建")),
    ("数据发布", ("统计数据", "统计分析", "经济运行", "财政数据", "人口普查", "农业普查", "经济普查", "统计年鉴")),
)

# Friendly-link selects: options open other governments' sites by script, never as <a> links.
FRIEND_LINKS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("国家部委网站", tuple((f"国家部委{i}", f"http://www.bw{i}.gov.cn/") for i in range(1, 13))),
    ("省级政府网站", tuple((f"省政府{i}", f"http://www.sheng{i}.gov.cn/") for i in range(1, 13))),
    ("市级政府网站", tuple((f"市政府{i}", f"http://www.shi{i}.gov.cn/") for i in range(1, 13))),
    ("县区政府网站", tuple((f"县区政府{i}", f"http://www.xian{i}.gov.cn/") for i in range(1, 13))),
    ("其他网站", tuple((f"便民网站{i}", f"http://www.bm{i}.gov.cn/") for i in range(1, 9))),
)

INLINE_STYLE = """<style type="text/css">
body{margin:0;padding:0;font-family:"Microsoft YaHei",SimSun,Arial;font-size:14px;color:#333;background:#f5f5f5}
a{color:#333;text-decoration:none}a:hover{color:#c00}ul,li{list-style:none;margin:0;padding:0}
.top-bar{height:36px;line-height:36px;background:#eee;border-bottom:1px solid #ddd}
.top-bar a{margin:0 6px;color:#666}.header{height:150px;background:url(/images/header_bg.jpg) no-repeat center}
.nav{height:52px;background:#1a5fb4}.nav li{float:left;position:relative;width:140px;text-align:center}
.nav li a{display:block;color:#fff;font-size:17px;line-height:52px}.nav li .sub{display:none;position:absolute;
top:52px;left:0;width:560px;background:#fff;border:1px solid #1a5fb4;z-index:99}.nav li:hover .sub{display:block}
.nav li .sub a{float:left;width:140px;color:#333;font-size:14px;line-height:36px}.crumbs{height:40px;line-height:40px}
.main{width:1200px;margin:0 auto;background:#fff;padding:30px 60px;box-sizing:border-box;min-height:600px}
.article h1{font-size:24px;text-align:center;line-height:40px;color:#1a5fb4}.info{text-align:center;color:#999;
border-bottom:1px dashed #ccc;padding-bottom:10px}.share{text-align:right;padding:10px 60px}.footer{background:#1a5fb4;
color:#fff;text-align:center;padding:20px 0}.footer a{color:#fff}.friend-links select{width:220px;margin:0 6px}
.wza-bar{display:none}.elder .main{font-size:20px}.qrcode{display:none;position:absolute;width:120px;height:120px}
@media screen and (max-width:768px){.main{width:100%;padding:10px}.nav li{width:25%}.nav li .sub{display:none!important}}
</style>"""

# Menu, font-size and visit-statistics scripts as portals embed them inline.
INLINE_SCRIPTS = """<script type="text/javascript">
var siteConfig = {siteId: "3611990001", columnId: "0", elderMode: false, wzaEnabled: true,
  statUrl: "/module/visitcount/visit.jsp", searchUrl: "/was5/web/search", qrSize: 120};
function setHome(){try{document.body.style.behavior='url(#default#homepage)';document.body.setHomePage(location.href);}
catch(e){alert('您的浏览器不支持自动设置主页，请手动设置。');}}
function addFavorite(){try{window.external.addFavorite(location.href,document.title);}catch(e){
try{window.sidebar.addPanel(document.title,location.href,"");}catch(e2){alert('请使用Ctrl+D收藏本页');}}}
function doZoom(size){var el=document.getElementById('zoom');if(el){el.style.fontSize=size+'px';
var ps=el.getElementsByTagName('p');for(var i=0;i<ps.length;i++){ps[i].style.fontSize=size+'px';}}}
function toggleElder(){siteConfig.elderMode=!siteConfig.elderMode;document.body.className=
siteConfig.elderMode?'elder':'';try{localStorage.setItem('elder',siteConfig.elderMode?'1':'0');}catch(e){}}
(function(){var menus=document.querySelectorAll?document.querySelectorAll('.nav li'):[];
for(var i=0;i<menus.length;i++){(function(li){li.onmouseover=function(){var s=li.getElementsByTagName('div')[0];
if(s){s.style.display='block';}};li.onmouseout=function(){var s=li.getElementsByTagName('div')[0];
if(s){s.style.display='none';}};})(menus[i]);}})();
function openFriend(sel){var url=sel.options[sel.selectedIndex].value;if(url){window.open(url);}sel.selectedIndex=0;}
function showQr(id){var q=document.getElementById(id);if(q){q.style.display=q.style.display=='block'?'none':'block';}}
</script>"""

STATISTICS_SCRIPT = """<script type="text/javascript">
var _stat = _stat || [];
(function(){var hm=document.createElement("script");hm.src="/js/stat.js?v=20240101&site=3611990001";
var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);
_stat.push(['_trackPageview', location.pathname]);_stat.push(['_setReferrer', document.referrer]);})();
</script>"""


def _menu_html(nav: list[tuple[str, str]]) -> str:
    """The site's own entries (which lead somewhere) first, then the usual two-level menu."""
    items = [f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in nav]
    for number, (top, subs) in enumerate(MENU, start=1):
        base = f"/col/menu{number}"
        sub_links = "".join(f'<a href="{base}/sub{i}/">{escape(s)}</a>' for i, s in enumerate(subs, start=1))
        items.append(f'<li><a href="{base}/">{escape(top)}</a><div class="sub">{sub_links}</div></li>')
    return "".join(items)


def _friend_links_html() -> str:
    selects = []
    for label, options in FRIEND_LINKS:
        opts = "".join(f'<option value="{escape(url)}">{escape(name)}</option>' for name, url in options)
        selects.append(f'<select onchange="openFriend(this)"><option value="">—{escape(label)}—</option>{opts}</select>')
    return '<div class="friend-links">友情链接：' + "".join(selects) + "</div>"


def _meta_html(site: str, title: str) -> str:
    pairs = [("SiteName", site), ("SiteDomain", "www.yunxi.gov.cn"), ("SiteIDCode", "3611990001"),
             ("ColumnName", "政务公开"), ("ColumnType", "政务公开"), ("ColumnDescription", f"{site}政务公开栏目"),
             ("ColumnKeywords", "政务公开,政府信息"), ("Keywords", title), ("Description", title)]
    return "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in pairs)


def page(*, site: str, title: str, body: str, nav: list[tuple[str, str]], head: str = "",
         charset: str = "utf-8", mirror_url: str | None = None, crumbs: list[tuple[str, str]] = ()) -> str:
    """A complete HTML page: ``nav`` and ``crumbs`` are (href, label) pairs."""
    crumb_html = " &gt; ".join(f'<a href="{escape(h)}">{escape(t)}</a>' for h, t in crumbs)
    mirror = (f'<a href="{escape(mirror_url)}" target="_blank">旧版网站</a> | ' if mirror_url else "")
    site_html = escape(site)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="viewport" content="width=device-width, initial-scale=1">
{_meta_html(site, title)}
<title>{escape(title)}_{site_html}</title>
<link rel="stylesheet" href="/images/common.css">
<link rel="stylesheet" href="/images/article.css">
<link rel="shortcut icon" href="/favicon.ico">
<script src="/js/jquery-1.12.4.min.js"></script>
{INLINE_STYLE}
{head}
</head>
<body>
<div class="top-bar"><div class="w1200"><span class="today">欢迎访问{site_html}</span>
<span class="links"><a href="javascript:void(0)" onclick="setHome()">设为首页</a>
<a href="javascript:void(0)" onclick="addFavorite()">加入收藏</a>
<a href="javascript:void(0)" class="wza" title="无障碍浏览">无障碍</a>
<a href="javascript:void(0)" onclick="toggleElder()">长者模式</a>
<a href="javascript:void(0)" class="fanti">繁體</a>
<a href="javascript:void(0)" onclick="showQr('qr-mobile')">手机版</a>
<a href="javascript:void(0)" onclick="showQr('qr-wechat')">微信</a>
<a href="javascript:void(0)">微博</a></span>
<img id="qr-mobile" class="qrcode" src="/images/qr_mobile.png" alt="手机版二维码">
<img id="qr-wechat" class="qrcode" src="/images/qr_wechat.png" alt="微信公众号二维码"></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{site_html}"></div>
<form class="search" action="javascript:void(0)" onsubmit="return false">
<input type="text" name="searchword" placeholder="请输入关键字" autocomplete="off">
<input type="button" value="搜索" class="search-btn"></form>
<div class="hot-words">热门搜索：<a href="javascript:void(0)">社保查询</a> <a href="javascript:void(0)">招聘考试</a>
<a href="javascript:void(0)">办事指南</a> <a href="javascript:void(0)">营商环境</a></div></div>
<div class="nav"><ul>{_menu_html(nav)}</ul></div>
<div class="crumbs">当前位置：{crumb_html}</div>
<div class="main">
{body}
</div>
<div class="share"><span class="font-size">【字体：<a href="javascript:doZoom(18)">大</a>
<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span>
分享到：<a href="javascript:void(0)" class="share-weibo" title="分享到微博">微博</a>
<a href="javascript:void(0)" class="share-wechat" title="分享到微信" onclick="showQr('qr-share')">微信</a>
<a href="javascript:void(0)" class="share-qq" title="分享到QQ空间">QQ空间</a>
<img id="qr-share" class="qrcode" src="/images/qr_share.png" alt="扫一扫在手机打开当前页">
<a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="footer">
{_friend_links_html()}
<p><a href="/">网站首页</a> | {mirror}<a href="javascript:void(0)">网站地图</a> | <a href="javascript:void(0)">联系我们</a>
| <a href="javascript:void(0)">网站声明</a> | <a href="javascript:void(0)">隐私保护</a></p>
<p>主办单位：{site_html}办公室　承办单位：云溪县大数据中心　联系电话：0799-1234567　地址：云溪县政府路1号　邮编：361199</p>
<p>网站标识码：3611990001　<a href="javascript:void(0)">云ICP备05001234号</a>　云公网安备 36119902000123号</p>
<p>建议使用1366×768分辨率、IE10以上版本浏览器访问本站</p>
<p><img src="/images/jiucuo.png" alt="政府网站找错"> <img src="/images/dzjg.png" alt="党政机关"></p>
</div>
{INLINE_SCRIPTS}
{STATISTICS_SCRIPT}
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
