"""Adapters, host policy, block detection and agency matching on small realistic inputs."""

from __future__ import annotations

import json
from datetime import date

from crawler.assign import AgencyMatcher
from crawler.blocking import block_reason
from crawler.discovery import is_column_name, navigation_links
from crawler.hosts import allowed
from crawler.platforms import PageRequest, detect
from crawler.platforms.gkmlpt import Gkmlpt
from crawler.platforms.hanweb import Hanweb
from crawler.platforms.trs import TRS
from storage.crawl_state import AgencyNames

TRS_PAGE = """<html><head><title>部门年报</title></head><body><ul class="list">
<li><a href="./202401/t20240120_5001.html" title="云溪县财政局2023年政府信息公开工作年度报告">云溪县财政局2023年政府信息…</a><span>2024-01-20</span></li>
<li><a href="./202301/t20230115_4001.html">云溪县财政局2022年政府信息公开工作年度报告</a><span>2023-01-15</span></li>
</ul><script>createPageHTML(3, 1, "index", "html");</script></body></html>"""


def test_trs_reads_titles_dates_and_the_next_page_from_create_page_html() -> None:
    url = "http://h.gov.cn/zwgk/bmnb/index_1.html"
    assert detect(url, TRS_PAGE).name == "trs"
    listing = TRS().read_page("http://h.gov.cn/zwgk/bmnb/", PageRequest(url), TRS_PAGE, 2)
    assert [e.url for e in listing.entries] == [
        "http://h.gov.cn/zwgk/bmnb/202401/t20240120_5001.html",
        "http://h.gov.cn/zwgk/bmnb/202301/t20230115_4001.html",
    ]
    assert listing.entries[0].title == "云溪县财政局2023年政府信息公开工作年度报告"  # title attribute wins
    assert listing.entries[0].listed_date == date(2024, 1, 20)
    assert listing.next_page is not None and listing.next_page.url == "http://h.gov.cn/zwgk/bmnb/index_2.html"
    last = TRS_PAGE.replace("createPageHTML(3, 1,", "createPageHTML(3, 2,")
    assert TRS().read_page("http://h.gov.cn/zwgk/bmnb/", PageRequest(url), last, 3).next_page is None


HANWEB_PAGE = """<html><body><div id="18811"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=37&path=/&columnid=4521&unitid=18811&webname=%E5%B9%B3%E5%8F%B0&permissiontype=0"></a>]]></nextgroup>
<recordset><record><![CDATA[<li><a href="/art/2024/1/20/art_4521_9.html" title="云溪县水利局2023年度政府信息公开工作年度报告">云溪县水利局2023年度</a><span>2024-01-20</span></li>]]></record></recordset>
</datastore></script></div><script>new jpage({objId: '18811', totalRecord: 31, perPage: 10, groupSize: 3,
proxyUrl: '/module/web/jpage/dataproxy.jsp', params: {col: 1, appid: 1, webid: 37, path: '/', columnid: 4521,
sourceContentType: 1, unitid: '18811', webname: '平台', permissiontype: 0}});</script></body></html>"""


def test_hanweb_reads_the_embedded_datastore_and_posts_for_the_next_group() -> None:
    url = "http://x.gov.cn/col/col4521/index.html"
    assert detect(url, HANWEB_PAGE).name == "hanweb"
    listing = Hanweb().read_page(url, PageRequest(url), HANWEB_PAGE, 1)
    assert listing.entries[0].url == "http://x.gov.cn/art/2024/1/20/art_4521_9.html"
    assert listing.entries[0].listed_date == date(2024, 1, 20)
    following = listing.next_page
    assert following is not None and following.method == "POST"
    assert "startrecord=2&endrecord=31&perpage=10" in following.url
    assert "columnid=4521" in (following.body or "") and "unitid=18811" in (following.body or "")
    answer = "<datastore><totalrecord>31</totalrecord><recordset></recordset></datastore>"
    assert Hanweb().read_page(url, following, answer, 2).next_page is None


def test_gkmlpt_finds_the_annual_report_catalog_and_pages_through_the_api() -> None:
    index = ("<script>window.GKMLPT = { SID: '759012', ROOT_URL: '/gkmlpt/', TREE: "
             '[{"id": 2699, "name": "政府信息公开指南", "parent": 0}, {"id": 2701, "name": "政府信息公开年报", "parent": 0}] };</script>')
    url = "http://g.gov.cn/gkmlpt/index"
    adapter = detect(url, index)
    assert adapter.name == "gkmlpt"
    (start,) = adapter.columns(url, index)
    assert start.column_url == "http://g.gov.cn/gkmlpt/index#2701"
    assert start.first is not None and start.first.url == "http://g.gov.cn/gkmlpt/api/all/2701?page=1&sid=759012"
    payload = {"total": 12, "page_size": 10, "articles": [
        {"title": "云溪县审计局2023年政府信息公开工作年度报告", "url": "http://g.gov.cn/gkmlpt/content/5/5001/post_5001.html",
         "first_publish_time": 1705708800}]}
    listing = Gkmlpt().read_page(start.column_url, start.first, json.dumps(payload), 1)
    assert listing.entries[0].listed_date == date(2024, 1, 20)
    assert listing.next_page is not None and "page=2" in listing.next_page.url


def test_navigation_tells_columns_from_reports_and_gateways() -> None:
    page = """<html><body><div class="nav"><a href="/zwgk/">政务公开</a></div>
    <a href="/zwgk/nb/">政府信息公开年报</a><a href="/zwgk/nb/202401/t20240101_1.html">2023年政府信息公开年报</a>
    <a href="/was5/search?q=年报">站内搜索：年报</a><div style="display: none"><a href="/draft/">年报草稿箱</a></div>
    <a href="http://127.0.0.1:9/copy/">政府信息公开年报</a></body></html>"""
    links = navigation_links("http://127.0.0.1:8000/", page, lambda u: allowed(u, "http://127.0.0.1:8000/"))
    assert links.columns == [("http://127.0.0.1:8000/zwgk/nb/", "政府信息公开年报")]
    assert links.gateways == [("http://127.0.0.1:8000/zwgk/", "政务公开")]
    assert not is_column_name("2023年政府信息公开年报", "http://h/x/")


def test_host_policy_keeps_to_the_portal_and_gov_cn_siblings() -> None:
    portal = "http://www.yunxi.gov.cn/"
    assert allowed("http://www.yunxi.gov.cn/zwgk/", portal)
    assert allowed("https://czj.yunxi.gov.cn/nb/", portal)
    assert not allowed("http://yunxi-gov.mirror.com/copy/", portal)
    assert not allowed("http://127.0.0.1/admin", portal)
    assert allowed("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/")
    assert not allowed("http://127.0.0.1:8001/a", "http://127.0.0.1:8000/")
    assert not allowed("ftp://www.yunxi.gov.cn/a", portal)


def test_block_pages_are_told_from_content() -> None:
    assert block_reason(412, b"<html></html>") == "HTTP 412 challenge"
    assert block_reason(521, b"<script>document.cookie='a=b';location.href=location.pathname</script>")
    challenge = b"<html><head><script>document.cookie='x=1';location.reload()</script></head><body></body></html>"
    assert block_reason(200, challenge, "text/html")
    article = ("<html><body><h1>年度报告</h1><p>" + "正文" * 400 + "</p><script>document.cookie='v=1'</script></body></html>")
    assert block_reason(200, article.encode(), "text/html") is None
    assert block_reason(404, b"<html><body>not found</body></html>", "text/html") is None


def test_agency_matching_by_name_alias_and_county_prefix() -> None:
    agencies = [
        AgencyNames("gov", "云溪县人民政府", ("云溪县政府",), "county_government", None, None),
        AgencyNames("czj", "云溪县财政局", ("县财政局",), "county_department", "gov", None),
        AgencyNames("town", "青石镇人民政府", (), "township", "gov", None),
    ]
    matcher = AgencyMatcher.build(agencies)
    assert matcher.match("云溪县财政局") == "czj"
    assert matcher.match("财政局2023年政府信息公开工作年度报告") == "czj"
    assert matcher.match("云溪县青石镇人民政府") == "town"
    assert matcher.match("云溪县人民政府") == "gov"
    assert matcher.match("云溪县") == "gov"
    assert matcher.match("云溪县红十字会") is None  # not registered: unassigned, not the county
    assert matcher.match("新密市岳村镇") is None
    # A report in traditional script names its body as printed.
    assert matcher.match("雲溪縣青石鎮人民政府") == "town"
