"""How real county portals present the 年报 column, each form a tiny site on 127.0.0.1, one real crawl.

Columns: per-year and per-kind sub-columns, a 年报 link only in the footer, an image link named by
its alt text. Lists: entries opened by ``onclick="window.open(...)"`` or ``data-url``, ``<base href>``,
``.shtml`` pages with ``index_1.shtml`` paging written by ``document.write``, ``[2024-01-20]`` /
``2024/01/20`` / ``01-20`` dates, rows in a table, Hanweb datastores. Report pages: a 解读 file
beside the report file, files linked as "附件1" / "点击下载", a PDF sent as octet-stream, a DOCX sent
as application/msword. Titles: 解读 / 说明 / 工作要点 are not reports; one report under two columns is
stored once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crawler.discovery import is_year_column_name
from crawler.platforms.base import next_link, parse_html, visible_links
from crawler.reading import attachment_links
from parsers import classify_title
from tests.crawler.small_sites import Page, SampleReport, SmallSite, sample_reports, sites
from tests.crawler.test_end_to_end import rows, run_crawl

HTML = "text/html"


@pytest.fixture(scope="module")
def samples() -> dict[str, list[SampleReport]]:
    return sample_reports()


def page(title: str, body: str) -> Page:
    return Page(f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                f"<div class='header'><a href='/'>首页</a><a href='/news/'>新闻动态</a></div>{body}"
                "<div class='footer'><a href='/about.html'>关于我们</a> 主办：云溪县人民政府办公室</div>"
                "</body></html>".encode())


def ul(entries: list[tuple[str, str]], date_form: str = "{d}") -> str:
    items = "".join(f'<li><a href="{href}" title="{text}">{text}</a><span>{date_form.format(d=f"2024-01-{10 + i}")}'
                    "</span></li>" for i, (href, text) in enumerate(entries))
    return f"<ul class='list'>{items}</ul>"


def wrapper(title: str, inner: str) -> Page:
    return page(title, f"<h1>{title}</h1><p>发布日期：2024-01-25</p><div class='content'>{inner}</div>")


def test_link_forms_of_real_portals() -> None:
    root = parse_html("<html><head><base href='/art/'></head><body>"
                      "<a href='javascript:void(0)' onclick=\"window.open('2024/a.html','_blank')\">甲</a>"
                      "<a href='#' data-url='b.html'>乙</a><a href='javascript:;'>丙</a>"
                      "<a href='/nb/'><img src='nb.png' alt='政府信息公开年报'></a>"
                      "<script>document.write(\"<a href='index_2.shtml'>下一页</a>\");</script></body></html>")
    assert root is not None
    links = [(url, text) for _a, url, text in visible_links(root, "http://h/col/index.html")]
    assert links == [("http://h/art/2024/a.html", "甲"), ("http://h/art/b.html", "乙"), ("http://h/nb/", "政府信息公开年报")]
    assert next_link(root, "http://h/col/index.html") == "http://h/art/index_2.shtml"
    assert [is_year_column_name(t, "/nb/2023/") for t in ("2023年度", "2022年", "2021年年报", "2023年度政府信息公开工作年度报告",
                                                         "政策解读")] == [True, True, True, False, False]
    assert [h for h, _t in attachment_links([("/d?id=1", "点击下载"), ("/d?id=2", "下载中心"), ("/d?id=3", "附件1"),
                                             ("/d?id=4", "全文下载")])] == ["/d?id=1", "/d?id=3", "/d?id=4"]


def test_portal_variety(db_url: str, tmp_path: Path, samples: dict[str, list[SampleReport]]) -> None:
    html, pdf, docx = samples["html"], samples["pdf"], samples["docx"]
    expected: dict[str, int] = {}  # report URL → year
    with sites() as running:
        def report(sample: SampleReport) -> Page:
            return Page(sample.body, HTML)

        def want(made: SmallSite, path: str, sample: SampleReport) -> None:
            year = classify_title(sample.title).year
            assert year is not None
            expected[made.base + path] = year

        # 1. Home → 政务公开 → 政府信息公开年报 → one sub-column per year.
        years = running.start({
            "/": page("云溪县人民政府", "<div class='nav'><a href='/zwgk/'>政务公开</a><a href='/news/'>新闻</a></div>"),
            "/zwgk/": page("政务公开", "<ul><li><a href='/zwgk/zc/'>政策文件</a></li>"
                                      "<li><a href='/zwgk/nb/'>政府信息公开年报</a></li></ul>"),
            "/zwgk/nb/": page("政府信息公开年报", "<div class='sub'><a href='/zwgk/nb/2023/'>2023年度</a>"
                                              "<a href='/zwgk/nb/2022/'>2022年度</a></div>"),
            "/zwgk/nb/2023/": page("2023年度", ul([("/zwgk/nb/2023/a.html", html[6].title)])),
            "/zwgk/nb/2022/": page("2022年度", ul([("/zwgk/nb/2022/b.html", html[2].title),
                                                  ("/zwgk/nb/2022/c.html", html[10].title)])),
            "/zwgk/nb/2023/a.html": report(html[6]),
            "/zwgk/nb/2022/b.html": report(html[2]),
            "/zwgk/nb/2022/c.html": report(html[10]),
        })
        want(years, "/zwgk/nb/2023/a.html", html[6])
        want(years, "/zwgk/nb/2022/b.html", html[2])
        want(years, "/zwgk/nb/2022/c.html", html[10])

        # 2. A 年报 link only in the footer; sub-columns per kind; a list in a table; ``.shtml`` paging
        #    announced as 共2页; the county's own report under two columns.
        kinds = running.start({
            "/": page("云溪县人民政府", "<div class='main'><a href='/news/1.html'>县政府召开常务会议</a></div>"
                                     "<div class='footer'><a href='/xxgk/nb/'>政府信息公开年报</a></div>"),
            "/xxgk/nb/": page("政府信息公开年报", "<ul class='sub'><li><a href='/xxgk/nb/xzf/'>县政府年报</a></li>"
                                              "<li><a href='/xxgk/nb/bm/'>部门年报</a></li>"
                                              "<li><a href='/xxgk/nb/xz/'>乡镇年报</a></li></ul>"),
            "/xxgk/nb/xzf/": page("县政府年报", ul([("/xxgk/nb/xzf/r1.html", html[0].title)])),
            "/xxgk/nb/bm/index.shtml": page("部门年报", ul([("/xxgk/nb/bm/r2.shtml", html[3].title),
                                                          ("/xxgk/nb/xzf/r1.html", html[0].title)])
                                        + "<div class='page'>共2页 <a href='index_1.shtml'>下一页</a></div>"),
            "/xxgk/nb/bm/": page("部门年报", ul([("/xxgk/nb/bm/r2.shtml", html[3].title),
                                               ("/xxgk/nb/xzf/r1.html", html[0].title)])
                                 + "<div class='page'>共2页 <a href='index_1.shtml'>下一页</a></div>"),
            "/xxgk/nb/bm/index_1.shtml": page("部门年报", ul([("/xxgk/nb/bm/r3.shtml", html[4].title)])
                                          + "<div class='page'>共2页 <a href='index.shtml'>上一页</a></div>"),
            "/xxgk/nb/xz/": page("乡镇年报", "<table class='list'>"
                                           f"<tr><td><a href='/xxgk/nb/xz/r4.html'>{pdf[4].title}</a></td>"
                                           "<td>2024-01-18</td></tr>"
                                           f"<tr><td><a href='/xxgk/nb/xz/copy.html'>{html[0].title}</a></td>"
                                           "<td>2024-01-19</td></tr></table>"),
            "/xxgk/nb/xz/copy.html": report(html[0]),
            "/xxgk/nb/xzf/r1.html": report(html[0]),
            "/xxgk/nb/bm/r2.shtml": report(html[3]),
            "/xxgk/nb/bm/r3.shtml": report(html[4]),
            "/xxgk/nb/xz/r4.html": wrapper(pdf[4].title, "<a href='/files/r4.pdf'>附件1</a>"),
            "/files/r4.pdf": Page(pdf[4].body, "application/pdf"),
        })
        for path, sample in (("/xxgk/nb/xzf/r1.html", html[0]), ("/xxgk/nb/bm/r2.shtml", html[3]),
                             ("/xxgk/nb/bm/r3.shtml", html[4]), ("/xxgk/nb/xz/r4.html", pdf[4])):
            want(kinds, path, sample)

        # 3. The 年报 link is an image; the list sets <base href>, opens entries by script and prints
        #    dates as [2024-01-20] and 2024/01/20.
        images = running.start({
            "/": page("云溪县人民政府", "<div class='side'><a href='/col/col12/index.html'>"
                                     "<img src='/img/nb.png' alt='政府信息公开年报'></a></div>"),
            "/col/col12/index.html": page("政府信息公开年报", "<base href='/art/'><ul class='list'>"
                f"<li><a href='javascript:void(0)' onclick=\"window.open('2024/1/20/art_12_1.html')\">{html[7].title}</a>"
                "<span>[2024-01-20]</span></li>"
                f"<li><a href='javascript:void(0)' data-url='2024/1/21/art_12_2.html'>{html[8].title}</a>"
                "<span>2024/01/21</span></li>"
                f"<li><a href='2024/1/22/art_12_3.html'>{html[9].title}</a><span>01-22</span></li></ul>"),
            "/art/2024/1/20/art_12_1.html": report(html[7]),
            "/art/2024/1/21/art_12_2.html": report(html[8]),
            "/art/2024/1/22/art_12_3.html": report(html[9]),
        })
        want(images, "/art/2024/1/20/art_12_1.html", html[7])
        want(images, "/art/2024/1/21/art_12_2.html", html[8])
        want(images, "/art/2024/1/22/art_12_3.html", html[9])

        # 4. TRS .shtml list whose pager is only written by script (no page count).
        trs = running.start({
            "/zfxxgk/ndbg/index.shtml": page("政府信息公开年报", ul([("./202401/t20240120_101.shtml", html[11].title)])
                + "<div class='page'><script>document.write('<a href=\"index_1.shtml\">下一页</a>');</script></div>"),
            "/zfxxgk/ndbg/index_1.shtml": page("政府信息公开年报", ul([("./202301/t20230118_88.shtml", html[12].title)])
                + "<div class='page'><script>document.write('<a href=\"index.shtml\">上一页</a>');</script></div>"),
            "/zfxxgk/ndbg/202401/t20240120_101.shtml": report(html[11]),
            "/zfxxgk/ndbg/202301/t20230118_88.shtml": report(html[12]),
        })
        want(trs, "/zfxxgk/ndbg/202401/t20240120_101.shtml", html[11])
        want(trs, "/zfxxgk/ndbg/202301/t20230118_88.shtml", html[12])

        # 5. Hanweb datastore with every record embedded.
        records = "".join(
            f"<record><![CDATA[<li><a href='/art/2024/1/{10 + i}/art_5_{i}.html' title='{s.title}'>{s.title}</a>"
            f"<span>2024-01-{10 + i}</span></li>]]></record>" for i, s in enumerate([html[13], html[14]]))
        hanweb = running.start({
            "/col/col5/index.html": page("政府信息公开年报", "<div id='5'><script type='text/xml'><datastore>"
                f"<nextgroup><![CDATA[]]></nextgroup><recordset>{records}</recordset></datastore></script>"
                "<script>var totalRecord = 2; var perPage = 15;</script></div>"),
            "/art/2024/1/10/art_5_0.html": report(html[13]),
            "/art/2024/1/11/art_5_1.html": report(html[14]),
        })
        want(hanweb, "/art/2024/1/10/art_5_0.html", html[13])
        want(hanweb, "/art/2024/1/11/art_5_1.html", html[14])

        # 6. Report pages with odd files, and titles that are not reports.
        files = running.start({
            "/nb/": page("政府信息公开年报", ul([
                ("/nb/d1.html", pdf[5].title), ("/nb/d2.html", docx[4].title), ("/nb/d3.html", pdf[6].title),
                ("/nb/x1.html", "关于云溪县2023年度政府信息公开工作年度报告的说明"),
                ("/nb/x2.html", "《云溪县2023年政府信息公开工作年度报告》解读"),
                ("/nb/x3.html", "云溪县2024年政务公开工作要点"),
                ("/nb/d4.html", "2023年度政府信息公开工作年度报告")])),
            # The 解读 file first, the report second.
            "/nb/d1.html": wrapper(pdf[5].title, "<p><a href='/files/jd.pdf'>2023年度报告解读.pdf</a></p>"
                                                 "<p><a href='/files/report.pdf'>2023年度报告.pdf</a></p>"),
            "/files/jd.pdf": Page(pdf[7].body[:200], "application/pdf"),
            "/files/report.pdf": Page(pdf[5].body, "application/octet-stream"),
            "/nb/d2.html": wrapper(docx[4].title, "<p><a href='/attach/download?fileId=8812'>点击下载</a></p>"),
            "/attach/download?fileId=8812": Page(docx[4].body, "application/msword"),
            "/nb/d3.html": wrapper(pdf[6].title, "<p><a href='/attach/0/4f2a9c.pdf'>附件1</a></p>"),
            "/attach/0/4f2a9c.pdf": Page(pdf[6].body, "application/octet-stream"),
            # A title without agency: the agency comes from the page.
            "/nb/d4.html": report(html[15]),
        })
        for path, sample in (("/nb/d1.html", pdf[5]), ("/nb/d2.html", docx[4]), ("/nb/d3.html", pdf[6]),
                             ("/nb/d4.html", html[15])):
            want(files, path, sample)

        portals = {
            "years": years.base + "/", "kinds": kinds.base + "/", "images": images.base + "/",
            "trs": trs.base + "/zfxxgk/ndbg/index.shtml", "hanweb": hanweb.base + "/col/col5/index.html",
            "files": files.base + "/nb/",
        }
        registry = {"agencies": [{"id": key, "name": f"测试县{i}局", "level": "county_department", "portal": url}
                                 for i, (key, url) in enumerate(portals.items())]}
        registry_path = tmp_path / "registry.yaml"
        registry_path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        done = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry_path))

        # The repost is stored once, under whichever of its two addresses was read first (the
        # lists are fetched in parallel, so either may be).
        twin = {kinds.base + "/xxgk/nb/xz/copy.html": kinds.base + "/xxgk/nb/xzf/r1.html"}
        current = rows(db_url, "SELECT url, year, agency_name FROM reports WHERE is_current")
        stored = {twin.get(url, url): (year, agency) for url, year, agency in current}
        assert len(stored) == len(current), "the repost was stored under both addresses"
        missed, extra = sorted(set(expected) - set(stored)), sorted(set(stored) - set(expected))
        assert (done.returncode, missed, extra) == (0, [], []), f"{missed} {extra} {done.stderr}"
        assert "Traceback" not in done.stderr
        assert {url: year for url, (year, _a) in stored.items()} == expected
        assert all(agency for _year, agency in stored.values())
        (tables,) = rows(db_url, "SELECT count(*) FROM reports WHERE is_current AND NOT has_tables")[0]
        assert tables == 0, rows(db_url, "SELECT url, warnings FROM reports WHERE NOT has_tables")
        # Not reports by their titles: never fetched.
        assert not {"/nb/x1.html", "/nb/x2.html", "/nb/x3.html"} & set(files.log)
