"""Real-world portal shapes, each a tiny site on 127.0.0.1, crawled together in one real crawl.

Relative links, script and meta-refresh redirects, GBK pages without a charset, frameset and
iframe wrappers, download scripts and Content-Disposition names, a column under 法定主动公开内容,
endless pagination, a dead report link, a response over the size limit, an off-site redirect.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from crawler.decoding import decode_page
from crawler.reading import attachment_links, disposition_filename
from crawler.redirects import script_redirect_target
from tests.crawler.small_sites import Page, SampleReport, sample_reports, sites
from tests.crawler.test_end_to_end import rows, run_crawl

HTML = "text/html"  # no charset: the page's own <meta> (or nothing) decides


@pytest.fixture(scope="module")
def samples() -> dict[str, list[SampleReport]]:
    return sample_reports()


def listing(title: str, entries: list[tuple[str, str]], extra: str = "") -> Page:
    rows_html = "".join(f'<li><a href="{href}">{text}</a><span>2024-01-2{i % 9}</span></li>'
                        for i, (href, text) in enumerate(entries))
    return Page(f"<html><head><title>{title}</title></head><body><ul class='list'>{rows_html}</ul>{extra}"
                "</body></html>".encode())


def wrapper(title: str, inner: str) -> Page:
    """A report page without the report: only a link, a frame or an iframe."""
    return Page(f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>发布日期：2024-01-25</p>"
                f"{inner}</body></html>".encode())


def gbk_without_charset(page: bytes) -> bytes:
    text, _encoding = decode_page(page)
    text = re.sub(r"<meta[^>]+charset[^>]*>", "", text, flags=re.I)
    return text.encode("gb18030")


def current_urls(db_url: str) -> set[str]:
    return {u for (u,) in rows(db_url, "SELECT url FROM reports WHERE is_current AND has_tables")}


def test_pure_helpers_on_real_world_forms() -> None:
    assert script_redirect_target(b'<html><script>window.location.href = "/zwgk/index.html";</script></html>') == "/zwgk/index.html"
    assert script_redirect_target(b"<script>location.replace('/a.html')</script>") == "/a.html"
    assert script_redirect_target(b"<script>document.cookie='a=1';location.href=location.pathname</script>") is None
    assert script_redirect_target(("<p>" + "正文" * 200 + "</p><script>location.href='/x'</script>").encode()) is None
    gbk = "<html><body>政府信息公开工作年度报告</body></html>".encode("gbk")
    assert decode_page(gbk, "text/html") == ("<html><body>政府信息公开工作年度报告</body></html>", "gb18030")
    declared = '<meta charset="gb2312"><p>年报</p>'.encode("gbk")
    assert decode_page(declared, None)[1] == "gb18030"
    assert decode_page("年报".encode(), "text/html; charset=utf-8") == ("年报", "utf-8")
    assert disposition_filename("attachment; filename*=UTF-8''" + quote("2023年报.pdf")) == "2023年报.pdf"
    assert disposition_filename('attachment; filename="2023年报.pdf"'.encode("gbk")) == "2023年报.pdf"
    assert disposition_filename("attachment; filename=" + quote("年报.docx")) == "年报.docx"
    assert disposition_filename("inline") is None
    links = [("/module/download/downfile.jsp?classid=0&filename=2401251234.pdf", "下载"),
             ("/down?id=3", "附件：年报.docx"), ("/a/P020240125612345678.pdf", "P020240125612345678.pdf"),
             ("/about.html", "关于我们"), ("javascript:void(0)", "打印.pdf")]
    assert [h for h, _t in attachment_links(links)] == [
        "/down?id=3", "/module/download/downfile.jsp?classid=0&filename=2401251234.pdf", "/a/P020240125612345678.pdf"]


def test_real_world_portal_shapes(db_url: str, tmp_path: Path, samples: dict[str, list[SampleReport]]) -> None:
    html, pdf, docx = samples["html"], samples["pdf"], samples["docx"]
    with sites() as running:
        def report_page(sample: SampleReport) -> Page:
            return Page(sample.body, HTML)

        links = running.start({
            "/zwgk/nb/list/index.html": listing("政府信息公开年报", [
                ("../2024/a.html", html[0].title), ("./b.html", html[1].title), ("/abs/c.html", html[2].title)]),
            "/zwgk/nb/2024/a.html": report_page(html[0]),
            "/zwgk/nb/list/b.html": report_page(html[1]),
            "/abs/c.html": report_page(html[2]),
        })
        redirects = running.start({
            "/": Page(b'<html><head><script>window.location.href="/portal/index.html";</script></head></html>'),
            "/portal/index.html": Page('<html><body><a href="/nb/">政府信息公开年报</a></body></html>'.encode()),
            "/nb/": Page(b'<html><head><meta http-equiv="refresh" content="0;url=/nb/list.html"></head></html>'),
            "/nb/list.html": listing("政府信息公开年报", [("/nb/d1.html", html[3].title)]),
            "/nb/d1.html": Page(b"<html><script>location.replace('/art/real1.html')</script></html>"),
            "/art/real1.html": report_page(html[3]),
        })
        gbk = running.start({
            "/nb/index.html": Page(gbk_without_charset(listing("政府信息公开年报", [("/nb/t1.html", html[4].title)]).body), HTML),
            "/nb/t1.html": Page(gbk_without_charset(html[4].body), HTML),
        })
        frames = running.start({
            "/nb/": listing("政府信息公开年报", [("/f/1.html", html[5].title), ("/f/2.html", html[6].title)]),
            "/f/1.html": Page(f'<html><head><title>{html[5].title}</title></head><frameset rows="0,*">'
                              '<frame src="/top.html"><frame src="/content/1.html"></frameset></html>'.encode()),
            "/top.html": Page(b"<html><body>banner</body></html>"),
            "/f/2.html": wrapper(html[6].title, '<iframe src="/content/2.html" width="100%"></iframe>'),
            "/content/1.html": report_page(html[5]),
            "/content/2.html": report_page(html[6]),
        })
        gbk_name = 'attachment; filename="2023年报.docx"'.encode("gbk").decode("latin-1")
        downloads = running.start({
            "/nb/": listing("政府信息公开年报", [(f"/nb/d{i}.html", s.title) for i, s in enumerate(
                [pdf[0], pdf[1], docx[0], pdf[2]], start=1)]),
            "/nb/d1.html": wrapper(pdf[0].title, '<a href="/module/download/downfile.jsp?classid=0&amp;'
                                                 'filename=2401251234.pdf">下载</a>'),
            "/module/download/downfile.jsp?classid=0&filename=2401251234.pdf": Page(pdf[0].body, "application/pdf"),
            "/nb/d2.html": wrapper(pdf[1].title, '<a href="/nb/202401/P020240125612345678.pdf">P020240125612345678.pdf</a>'),
            "/nb/202401/P020240125612345678.pdf": Page(pdf[1].body, "application/pdf"),
            "/nb/d3.html": wrapper(docx[0].title, '<a href="/down?id=3">附件：2023年报.docx</a>'),
            "/down?id=3": Page(docx[0].body, "application/octet-stream", headers={"Content-Disposition": gbk_name}),
            "/nb/d4.html": wrapper(pdf[2].title, '<a href="/down?id=4">2023年报.pdf</a>'),
            "/down?id=4": Page(pdf[2].body, "application/octet-stream", headers={
                "Content-Disposition": "attachment; filename*=UTF-8''" + quote("2023年报.pdf")}),
        })
        catalog = running.start({
            "/": Page('<html><body><a href="/xxgk/">信息公开目录</a><a href="/news/">新闻</a></body></html>'.encode()),
            "/xxgk/": Page('<html><body><a href="/xxgk/zn/">政府信息公开指南</a>'
                           '<a href="/xxgk/fdzdgk/">法定主动公开内容</a></body></html>'.encode()),
            "/xxgk/fdzdgk/": Page('<html><body><ul><li><a href="/xxgk/fdzdgk/jgzn/">机构职能</a></li>'
                                  '<li><a href="/xxgk/fdzdgk/nb/">政府信息公开年报</a></li></ul></body></html>'.encode()),
            "/xxgk/fdzdgk/nb/": listing("政府信息公开年报", [("/xxgk/fdzdgk/nb/r1.html", html[7].title)]),
            "/xxgk/fdzdgk/nb/r1.html": report_page(html[7]),
        })

        def repeating(path: str) -> Page | None:
            # Past page 2 the CMS serves page 2 again, still with a 下一页 link.
            if not path.startswith("/nb/?page="):
                return None
            number = int(path.rsplit("=", 1)[1])
            return listing("政府信息公开年报", [("/nb/n1.html", "关于开展政务公开培训的通知")],
                           f'<a href="/nb/?page={number + 1}">下一页</a>')

        endless_repeat = running.start({
            "/nb/": listing("政府信息公开年报", [("/nb/r1.html", html[8].title)], '<a href="/nb/?page=2">下一页</a>'),
            "/nb/r1.html": report_page(html[8]),
        }, repeating)

        def distinct(path: str) -> Page | None:
            if not path.startswith("/nb/?page="):
                return None
            number = int(path.rsplit("=", 1)[1])
            return listing("政府信息公开年报", [(f"/nb/n{number}.html", f"关于第{number}批政务公开事项的通知")],
                           f'<a href="/nb/?page={number + 1}">下一页</a>')

        endless = running.start({
            "/nb/": listing("政府信息公开年报", [("/nb/r1.html", html[9].title)], '<a href="/nb/?page=2">下一页</a>'),
            "/nb/r1.html": report_page(html[9]),
        }, distinct)
        dead = running.start({
            "/nb/": listing("政府信息公开年报", [("/nb/gone.html", html[10].title), ("/nb/ok.html", html[11].title)]),
            "/nb/ok.html": report_page(html[11]),
        })
        huge = running.start({
            "/nb/": listing("政府信息公开年报", [("/nb/big.html", pdf[3].title), ("/nb/ok.html", html[12].title)]),
            "/nb/big.html": wrapper(pdf[3].title, '<a href="/nb/big.pdf">附件.pdf</a>'),
            "/nb/big.pdf": Page(pdf[3].body + b"\n%" + b"0" * 3_000_000, "application/pdf"),
            "/nb/ok.html": report_page(html[12]),
        })
        elsewhere = running.start({"/copy.html": report_page(html[13])})
        offsite = running.start({
            "/nb/": listing("政府信息公开年报", [("/nb/moved.html", html[13].title), ("/nb/ok.html", html[14].title)]),
            "/nb/moved.html": Page(b"", status=302, headers={"Location": elsewhere.base + "/copy.html"}),
            "/nb/ok.html": report_page(html[14]),
        })

        portals = {
            "links": links.base + "/zwgk/nb/list/index.html", "redirects": redirects.base + "/",
            "gbk": gbk.base + "/nb/index.html", "frames": frames.base + "/nb/", "downloads": downloads.base + "/nb/",
            "catalog": catalog.base + "/", "repeat": endless_repeat.base + "/nb/", "endless": endless.base + "/nb/",
            "dead": dead.base + "/nb/", "huge": huge.base + "/nb/", "offsite": offsite.base + "/nb/",
        }
        registry = {"agencies": [{"id": key, "name": f"测试县{i}局", "level": "county_department", "portal": url}
                                 for i, (key, url) in enumerate(portals.items())]}
        registry_path = tmp_path / "registry.yaml"
        registry_path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        done = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry_path),
                         env={"NIANBAO_MAX_PAGES": "6", "NIANBAO_DOWNLOAD_MAXSIZE": "1000000"})

        assert done.returncode == 0, done.stderr  # every portal crawled: the oddities are notes, not failures
        assert "Traceback" not in done.stderr
        stored = current_urls(db_url)
        expected = {
            links.base + "/zwgk/nb/2024/a.html", links.base + "/zwgk/nb/list/b.html", links.base + "/abs/c.html",
            redirects.base + "/nb/d1.html", gbk.base + "/nb/t1.html",
            frames.base + "/f/1.html", frames.base + "/f/2.html",
            *(downloads.base + f"/nb/d{i}.html" for i in range(1, 5)),
            catalog.base + "/xxgk/fdzdgk/nb/r1.html", endless_repeat.base + "/nb/r1.html", endless.base + "/nb/r1.html",
            dead.base + "/nb/ok.html", huge.base + "/nb/ok.html", offsite.base + "/nb/ok.html",
        }
        assert expected - stored == set()
        assert stored - expected == set()

        # GBK without a charset: the title was read as Chinese, not mojibake.
        (title,) = rows(db_url, f"SELECT title FROM reports WHERE url = '{gbk.base}/nb/t1.html'")[0]
        assert title == html[4].title
        # Endless pagination: a repeated page ends the walk; a never-ending one is cut at the limit.
        assert len([p for p in endless_repeat.log if p.startswith("/nb/?page=")]) == 2
        assert len([p for p in endless.log if p.startswith("/nb/?page=")]) == 5
        assert "repeats earlier entries" in done.stderr and "after 6 list pages" in done.stderr
        # The dead link: its 404 is kept as evidence, the entry remembered as dead, not as a report.
        assert rows(db_url, f"SELECT http_status FROM snapshots WHERE url = '{dead.base}/nb/gone.html'") == [(404,)]
        assert rows(db_url, f"SELECT kind FROM column_items WHERE url = '{dead.base}/nb/gone.html'") == [("dead",)]
        # Too big: a clear note, and the rest of that portal was crawled.
        assert "larger than the download size limit" in done.stderr and "/nb/big.pdf" in done.stderr
        # Every page fetched keeps its text (the skipped banner frame too), GBK ones as Chinese.
        assert rows(db_url, "SELECT url FROM snapshots WHERE text IS NULL AND http_status = 200 "
                            "AND content_type LIKE 'text/html%'") == []
        (gbk_text,) = rows(db_url, f"SELECT text FROM snapshots WHERE url = '{gbk.base}/nb/index.html'")[0]
        assert html[4].title in gbk_text
        # Off-site redirect: never followed.
        assert elsewhere.log == []
        assert "off-site" in done.stderr
