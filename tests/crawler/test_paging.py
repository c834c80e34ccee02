"""List pages asked for all at once when a list announces its page count (full walks only).

Adapters on saved pages (TRS createPageHTML, Hanweb jpage, gkmlpt JSON, a plain 共N页 pager), then
real crawls of small loopback sites: pages requested without waiting for each other, the
NIANBAO_MAX_PAGES bound, an incremental walk that still stops at its first known page, and a page
count that lies (pages announced but answering 404).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import yaml

from crawler.platforms import PageRequest, detect
from crawler.platforms.generic import Generic, announced_pages, page_address
from crawler.platforms.gkmlpt import Gkmlpt
from crawler.platforms.hanweb import Hanweb
from crawler.platforms.trs import TRS
from tests.crawler.small_sites import Page, SmallSite, sites
from tests.crawler.test_end_to_end import rows, run_crawl
from tests.crawler.test_pure_parts import HANWEB_PAGE, TRS_PAGE

COLUMN_TITLE = "政府信息公开年报"


def _first_page(adapter, url: str, text: str, up_to: int = 500):  # type: ignore[no-untyped-def]
    first = PageRequest(url)
    listing = adapter.read_page(url, first, text, 1)
    return adapter.page_requests(url, first, text, listing, up_to)


def test_trs_announces_every_page_in_create_page_html() -> None:
    page_one = TRS_PAGE.replace("createPageHTML(3, 1,", "createPageHTML(5, 0,")
    column = "http://h.gov.cn/zwgk/bmnb/"
    pages = _first_page(TRS(), column, page_one)
    assert [p.url for p in pages] == [f"{column}index_{i}.html" for i in range(1, 5)]
    assert [p.url for p in _first_page(TRS(), column, page_one, up_to=3)] == [f"{column}index_1.html",
                                                                              f"{column}index_2.html"]
    # Only page 1 announces the rest; a single-page list announces nothing further.
    assert TRS().page_requests(column, PageRequest(column + "index_1.html"), TRS_PAGE, TRS().read_page(
        column, PageRequest(column + "index_1.html"), TRS_PAGE, 2), 500) is None
    assert _first_page(TRS(), column, TRS_PAGE.replace("createPageHTML(3, 1,", "createPageHTML(1, 0,")) == []


def test_hanweb_posts_one_dataproxy_call_per_group_of_pages() -> None:
    url = "http://x.gov.cn/col/col4521/index.html"
    page = HANWEB_PAGE.replace("totalRecord: 31, perPage: 10, groupSize: 3", "totalRecord: 95, perPage: 5, groupSize: 3")
    calls = _first_page(Hanweb(), url, page)
    assert [c.method for c in calls] == ["POST"] * 7
    assert ["startrecord=2&endrecord=16&perpage=5" in calls[0].url, "startrecord=92&endrecord=106" in calls[-1].url] == [
        True, True]
    assert all("columnid=4521" in (c.body or "") for c in calls)
    # What the sequential walk would ask next is exactly the first of them.
    assert Hanweb().read_page(url, PageRequest(url), page, 1).next_page == calls[0]
    assert len(_first_page(Hanweb(), url, page, up_to=4)) == 3


def test_gkmlpt_asks_for_every_page_of_its_json_total() -> None:
    api = "http://g.gov.cn/gkmlpt/api/all/2701?page=1&sid=757"
    answer = json.dumps({"total": 47, "page_size": 10, "articles": [
        {"url": "/gkmlpt/content/1/1/post_1.html", "title": "云溪县2023年政府信息公开工作年度报告", "date": 1705708800}]})
    first = PageRequest(api, state=(("page", "1"),))
    listing = Gkmlpt().read_page(api, first, answer, 1)
    pages = Gkmlpt().page_requests(api, first, answer, listing, 500)
    assert [p.url for p in pages] == [api.replace("page=1", f"page={n}") for n in range(2, 6)]
    assert [p.get("page") for p in pages] == ["2", "3", "4", "5"]


def _plain(pages: int, current: int = 1, *, last_link: str | None = None) -> str:
    last = last_link if last_link is not None else f"/nb/?page={pages}"
    return (f"<html><head><title>{COLUMN_TITLE}</title></head><body><ul class='list'>"
            "<li><a href='/nb/a.html'>关于开展政务公开培训的通知</a><span>2024-01-20</span></li></ul>"
            f"<div class='pager'><a href='/nb/'>首页</a><a href='/nb/?page={current + 1}'>下一页</a>"
            f"<a href='{last}'>尾页</a><span>共35条 第{current}/{pages}页</span></div></body></html>")


def test_plain_pager_pages_from_the_count_and_the_next_link() -> None:
    url = "http://p.gov.cn/nb/"
    assert detect(url, _plain(4)).name == "generic"
    assert [p.url for p in _first_page(Generic(), url, _plain(4))] == [f"{url}?page={n}" for n in (2, 3, 4)]
    # A 尾页 link that contradicts the count: nothing is guessed, the pages are walked one by one.
    assert _first_page(Generic(), url, _plain(4, last_link="/nb/?page=9")) is None
    assert _first_page(Generic(), url, _plain(4).replace("第1/4页", "")) is None  # no count printed
    assert announced_pages("<span>共</span><b>12</b><span>页</span>") == 12
    assert announced_pages("页次：2/7 每页20条") == 7
    assert announced_pages("共35条记录") is None  # entries, not pages
    assert page_address("http://p.gov.cn/t002/nb/", "http://p.gov.cn/t002/nb/?page=2") == (
        "http://p.gov.cn/t002/nb/?page={}", 0)
    assert page_address("http://127.0.0.1:8001/nb/index.html", "http://127.0.0.1:8001/nb/index_1.html") == (
        "http://127.0.0.1:8001/nb/index_{}.html", -1)
    assert page_address("http://p.gov.cn/nb/", "http://p.gov.cn/nb/list.jsp") is None


# --- real crawls of small sites ------------------------------------------------------------------


def _notice(number: int) -> str:
    return f"关于第{number}批政务公开事项的通知"


class PagedList:
    """A plain list of ``pages`` pages, one non-report entry each, announcing ``announced`` pages
    (pages beyond ``pages`` answer 404); ``hold`` pages are answered only once ``release_on`` was
    asked for (or after a timeout), to see whether the crawler waited for them."""

    def __init__(self, pages: int, announced: int | None = None, *, dropped: int | None = None) -> None:
        self.pages = pages
        self.announced = announced or pages
        self.dropped = dropped  # a page whose entry is no longer listed
        self.hold: int | None = None
        self.release_on: int | None = None
        self.released = threading.Event()
        self.released_in_time = False

    def page(self, number: int) -> str:
        entry = "" if number == self.dropped else (
            f"<li><a href='/nb/n{number}.html'>{_notice(number)}</a><span>2024-01-20</span></li>")
        following = f"<a href='/nb/?page={number + 1}'>下一页</a>" if number < self.announced else ""
        return (f"<html><head><title>{COLUMN_TITLE}</title></head><body><ul class='list'>{entry}</ul>"
                f"<div class='pager'>{following}<a href='/nb/?page={self.announced}'>尾页</a>"
                f"<span>共{self.announced}页</span></div></body></html>")

    def route(self, path: str) -> Page | None:
        if path == "/nb/":
            number = 1
        elif path.startswith("/nb/?page="):
            number = int(path.rsplit("=", 1)[1])
        else:
            return None
        if number == self.release_on:
            self.released.set()
        if number == self.hold:
            self.released_in_time = self.released.wait(timeout=5)
        if number > self.pages:
            return None
        return Page(self.page(number).encode())


def _registry(tmp_path: Path, portals: dict[str, str]) -> Path:
    registry = {"agencies": [{"id": key, "name": f"测试县{i}局", "level": "county_department", "portal": url}
                             for i, (key, url) in enumerate(portals.items())]}
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    return path


def _list_pages(site: SmallSite) -> list[str]:
    return [p for p in site.log if p == "/nb/" or p.startswith("/nb/?page=")]


def test_announced_pages_are_asked_for_at_once_and_bounded(db_url: str, tmp_path: Path) -> None:
    with sites() as running:
        waiting = PagedList(6)
        waiting.hold, waiting.release_on = 2, 6  # page 2 is answered only once page 6 was asked for
        bounded = PagedList(40)
        running.extend([SmallSite({}, waiting.route), SmallSite({}, bounded.route)])
        registry = _registry(tmp_path, {"waiting": running[0].base + "/nb/", "bounded": running[1].base + "/nb/"})
        done = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry),
                         env={"NIANBAO_MAX_PAGES": "6", "NIANBAO_PARSE_WORKERS": "0"})
        assert done.returncode == 0, done.stderr

        # Page 6 was asked for while page 2 was still unanswered: nobody waited for page 2.
        assert waiting.released_in_time
        assert sorted(_list_pages(running[0])) == sorted(["/nb/", *(f"/nb/?page={n}" for n in range(2, 7))])
        listed = {u for (u,) in rows(db_url, "SELECT url FROM column_items")}
        assert {running[0].base + f"/nb/n{n}.html" for n in range(1, 7)} <= listed
        # 40 pages announced, NIANBAO_MAX_PAGES=6: pages 1–6 fetched, once each, and a clear note.
        assert sorted(_list_pages(running[1])) == sorted(["/nb/", *(f"/nb/?page={n}" for n in range(2, 7))])
        assert "announces 40 list pages; walk cut at 6" in done.stderr
        assert running[0].base not in done.stderr  # the honest six-page list earns no note


def test_incremental_walk_stops_at_its_first_known_page(db_url: str, tmp_path: Path) -> None:
    with sites() as running:
        paged = PagedList(5)
        running.start({}, paged.route)
        registry = _registry(tmp_path, {"paged": running[0].base + "/nb/"})
        first = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry),
                          env={"NIANBAO_PARSE_WORKERS": "0"})
        assert first.returncode == 0, first.stderr
        assert len(_list_pages(running[0])) == 5
        running[0].log.clear()
        # Same day: the column's full walk is recent and every entry is settled, so page 1 (all
        # known) ends the walk; the announced pages are not asked for.
        second = run_crawl(db_url, "2024-02-10T12:00:00+08:00", env={"NIANBAO_PARSE_WORKERS": "0"})
        assert second.returncode == 0, second.stderr
        assert _list_pages(running[0]) == ["/nb/"]


def test_a_page_count_that_lies_is_noted_and_concludes_nothing(db_url: str, tmp_path: Path) -> None:
    with sites() as running:
        paged = PagedList(6)
        running.start({}, paged.route)
        registry = _registry(tmp_path, {"paged": running[0].base + "/nb/"})
        env = {"NIANBAO_PARSE_WORKERS": "0", "NIANBAO_FULL_WALK_DAYS": "0"}  # every walk a full walk
        first = run_crawl(db_url, "2024-02-10T10:00:00+08:00", "--registry", str(registry), env=env)
        assert first.returncode == 0, first.stderr
        assert "warning" not in first.stderr

        # Now the pager says 50 pages, but only 6 exist (7–50 answer 404), and page 3's entry was removed.
        paged.announced, paged.dropped = 50, 3
        running[0].log.clear()
        lying = run_crawl(db_url, "2024-02-11T10:00:00+08:00", env=env)
        assert lying.returncode == 0, lying.stderr  # the pages that exist were walked: not a failure
        assert "announces 50 list pages, but page 7, 8, 9, 10, 11 … (44 pages) answered 404" in lying.stderr
        assert "nothing concluded" in lying.stderr
        assert len(_list_pages(running[0])) == 50  # each announced page asked for once, none twice
        dropped = running[0].base + "/nb/n3.html"
        # The walk missed announced pages: the removed entry is not declared gone.
        assert rows(db_url, f"SELECT gone_since FROM column_items WHERE url = '{dropped}'") == [(None,)]

        # The pager tells the truth again (6 pages): a complete walk may now conclude it is gone.
        paged.announced = 6
        honest = run_crawl(db_url, "2024-02-12T10:00:00+08:00", env=env)
        assert honest.returncode == 0, honest.stderr
        (gone,) = rows(db_url, f"SELECT gone_since FROM column_items WHERE url = '{dropped}'")[0]
        assert gone is not None
