"""Each platform's pagination walked with plain HTTP, checked against the ground truth."""

from __future__ import annotations

import json
import re
import urllib.robotparser
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode, urljoin, urlsplit

from tests.demo.portal_http import fetch, link_to, listed

SHANGHAI = timezone(timedelta(hours=8))
PAGER = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"index",\s*"html"\)')


def _walk_trs_column(first_url: str) -> tuple[set[str], int]:
    first = fetch(first_url)
    assert first.status == 200
    match = PAGER.search(first.text)
    assert match is not None and match.group(2) == "0"
    pages = int(match.group(1))
    urls: set[str] = set()
    for index in range(pages):
        page = first if index == 0 else fetch(urljoin(first_url, f"index_{index}.html"))
        assert page.status == 200
        assert f"createPageHTML({pages}, {index}," in page.text
        # The page count is announced only by the script: no link leads to the next page.
        assert not any("index_" in url for url, _ in page.links())
        urls |= set(page.list_links("list"))
    assert fetch(urljoin(first_url, f"index_{pages}.html")).status == 404
    return urls, pages


def test_trs_site_root_leads_to_every_annual_report_column(running):
    truth = running.ground_truth()
    root = fetch(running.base_urls["county"] + "/")
    assert root.headers["Content-Type"] == "text/html; charset=gb2312"
    assert 'content="text/html; charset=gb2312"' in root.text
    assert "网站标识码" in root.text and "分享到" in root.text
    public = fetch(link_to(root, "政府信息公开"))
    annual = fetch(link_to(public, "政府信息公开年报"))
    page_counts = {}
    for key, name in [("gov", "县政府年报"), ("dept", "部门年报"), ("town", "乡镇（街道）年报")]:
        urls, page_counts[key] = _walk_trs_column(link_to(annual, name))
        assert urls == listed(truth, key), key
    assert page_counts["dept"] >= 4


def test_trs_detail_page_declares_its_date_in_meta_text_and_url(running):
    truth = running.ground_truth()
    report = next(r for r in truth["reports"] if r["placements"][0]["column"] == "dept"
                  and r["form"] == "html" and r["visible"])
    placement = report["placements"][0]
    page = fetch(placement["url"])
    assert page.status == 200 and page.headers["Content-Type"] == "text/html; charset=gb2312"
    stamp = placement["declared_at"][:16]
    assert f'<meta name="PubDate" content="{stamp}">' in page.text
    assert f'<meta name="ArticleTitle" content="{report["title"]}">' in page.text
    assert f"发布时间：{stamp}" in page.text
    day = placement["declared_date"].replace("-", "")
    assert re.search(rf"/{day[:6]}/t{day}_\d+\.html$", placement["url"])
    assert "<table" in page.text and "rowspan" in page.text.lower()


def test_trs_static_pages_answer_conditional_requests(running):
    url = running.base_urls["county"] + "/zwgk/zfxxgknb/bmnb/index_1.html"
    first = fetch(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified
    assert fetch(url, headers={"If-None-Match": etag}).status == 304
    assert fetch(url, headers={"If-Modified-Since": modified}).status == 304
    assert fetch(url, headers={"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"}).status == 200
    assert fetch(url, headers={"If-None-Match": '"stale"'}).status == 200


def _hanweb_form(page_text: str) -> dict[str, str]:
    params = re.search(r"params:\s*\{(.*?)\}", page_text, re.S).group(1)
    pairs = re.findall(r"(\w+):\s*'?([^,']*)'?", params)
    return {k: v.strip() for k, v in pairs}


def test_hanweb_jpage_embedded_records_then_dataproxy_posts(running):
    truth = running.ground_truth()
    base = running.base_urls["xxgk"]
    page = fetch(base + "/col/col4521/index.html")
    datastore = re.search(r'<script type="text/xml">(.*?)</script>', page.text, re.S).group(1)
    assert "<nextgroup><![CDATA[" in datastore
    records = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", datastore, re.S)
    total = int(re.search(r"totalRecord:\s*(\d+)", page.text).group(1))
    per_page = int(re.search(r"perPage:\s*(\d+)", page.text).group(1))
    assert len(records) < total, "the column must need the data proxy"
    form = _hanweb_form(page.text)
    posts = 0
    while len(records) < total:
        start = len(records) + 1
        query = urlencode({"startrecord": start, "endrecord": start + 3 * per_page - 1, "perpage": per_page})
        answer = fetch(f"{base}/module/web/jpage/dataproxy.jsp?{query}", data=urlencode(form).encode())
        assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/xml")
        more = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", answer.text, re.S)
        assert more
        records += more
        posts += 1
    assert posts >= 1
    hrefs = {base + re.search(r'href="([^"]+)"', r).group(1) for r in records}
    assert len(hrefs) == total
    assert hrefs == listed(truth, "xxgk-dept")
    assert all(re.match(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_4521_\d+\.html$", urlsplit(h).path) for h in hrefs)


def test_hanweb_dataproxy_refuses_get_and_incomplete_forms(running):
    url = running.base_urls["xxgk"] + "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=15&perpage=5"
    assert fetch(url).status == 405
    incomplete = fetch(url, data=urlencode({"columnid": 4521}).encode())
    assert incomplete.status == 400 and b"unitid" in incomplete.body


def test_gkmlpt_api_pages_match_the_truth(running):
    truth = running.ground_truth()
    base = running.base_urls["gkmlpt"]
    page = fetch(base + "/gkmlpt/index")
    sid = re.search(r"SID:\s*'(\d+)'", page.text).group(1)
    tree = json.loads(re.search(r"TREE:\s*(\[.*?\])\s*\}", page.text, re.S).group(1))
    catalog = next(node["id"] for node in tree if node["name"] == "政府信息公开年报")
    articles, number = [], 1
    while True:
        data = json.loads(fetch(f"{base}/gkmlpt/api/all/{catalog}?page={number}&sid={sid}").body)
        if not data["articles"]:
            break
        articles += data["articles"]
        number += 1
    assert number > 2, "the column must span several API pages"
    assert data["total"] == len(articles)
    assert {a["url"] for a in articles} == listed(truth, "gkmlpt-nb")
    declared = {p["url"]: p["declared_at"] for r in truth["reports"] for p in r["placements"]}
    for article in articles:
        if article["url"] in declared:
            moment = datetime.fromtimestamp(article["first_publish_time"], SHANGHAI)
            assert moment.strftime("%Y-%m-%d %H:%M:%S") == declared[article["url"]]
    wrong = json.loads(fetch(f"{base}/gkmlpt/api/all/{catalog}?page=1&sid=1").body)
    assert wrong["total"] == 0 and wrong["articles"] == []


def test_plain_columns_paginate_by_next_links(running):
    truth = running.ground_truth()
    registry = {a["id"]: a for a in running.registry()["agencies"]}
    columns = {p["column"] for r in truth["reports"] for p in r["placements"] if p["column"].startswith("towns-")}
    multi_page = 0
    for column in sorted(columns):
        url = registry[column.removeprefix("towns-")]["portal"]
        urls: set[str] = set()
        pages = 0
        while url:
            page = fetch(url)
            assert page.status == 200
            urls |= set(page.list_links("news-list"))
            pages += 1
            nxt = [u for u, text in page.links() if text == "下一页"]
            url = nxt[0] if nxt else None
        multi_page += pages > 1
        assert urls == listed(truth, column), column
    assert multi_page >= 3


def test_undated_report_page_declares_no_date(running):
    truth = running.ground_truth()
    report = next(r for r in truth["reports"] if "no_date" in r["cases"])
    page = fetch(report["urls"][0])
    assert page.status == 200
    assert "PubDate" not in page.text and "发布时间" not in page.text
    assert not re.search(r"20\d\d[-/]?\d\d", urlsplit(report["urls"][0]).path)


def test_attachment_only_reports_serve_their_files(running):
    truth = running.ground_truth()
    magic = {"pdf": b"%PDF", "image_pdf": b"%PDF", "docx": b"PK\x03\x04", "doc": b"\xd0\xcf\x11\xe0"}
    seen = set()
    for report in truth["reports"]:
        placement = report["placements"][0]
        if report["form"] in seen or not placement["attachment_url"] or not placement["visible"]:
            continue
        detail = fetch(placement["url"])
        assert placement["attachment_url"] in {url for url, _ in detail.links()}
        assert len(detail.text) < 20000  # a short page that only points at the file
        attachment = fetch(placement["attachment_url"])
        assert attachment.status == 200
        assert attachment.body.startswith(magic[report["form"]]), report["form"]
        assert "filename*=UTF-8''" in attachment.headers["Content-Disposition"]
        seen.add(report["form"])
    assert seen == set(magic)


def test_robots_txt_forbids_the_draft_column_that_is_linked(running):
    base = running.base_urls["county"]
    robots = fetch(base + "/robots.txt")
    assert robots.status == 200
    rules = urllib.robotparser.RobotFileParser()
    rules.parse(robots.text.splitlines())
    annual = fetch(base + "/zwgk/zfxxgknb/")
    trap = [url for url, _ in annual.links() if "/draft/" in url]
    assert trap and not rules.can_fetch("nianbao", trap[0])
    assert rules.can_fetch("nianbao", base + "/zwgk/zfxxgknb/bmnb/index.html")
    truth = running.ground_truth()
    forbidden = [n for n in truth["non_reports"] if n["forbidden"]]
    assert forbidden and all(not rules.can_fetch("nianbao", n["url"]) for n in forbidden)


def test_off_site_mirror_links_point_at_another_host(running):
    truth = running.ground_truth()
    offsite = [n for n in truth["non_reports"] if n["offsite"] and n["visible"]]
    assert offsite
    county_host = urlsplit(running.base_urls["county"]).netloc
    urls, _ = _walk_trs_column(running.base_urls["county"] + "/zwgk/zfxxgknb/bmnb/")
    for entry in offsite:
        assert entry["url"] in urls
        assert urlsplit(entry["url"]).netloc not in (county_host, "")
        assert fetch(entry["url"]).status == 200
    root = fetch(running.base_urls["county"] + "/")
    assert running.base_urls["mirror"] + "/" in {url for url, _ in root.links()}
