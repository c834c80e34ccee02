"""Finding the article among page furniture that is text but not reading matter."""

from __future__ import annotations

from parsers.api import extract_document, parse_document


def _page(article: str, footer: str) -> bytes:
    return (
        "<html><head><title>某县人民政府</title></head><body>"
        '<div class="top">欢迎访问某县人民政府</div>'
        f'<div class="main"><div class="article">{article}</div></div>'
        f'<div class="footer">{footer}<p>主办单位：某县人民政府办公室</p></div>'
        "</body></html>"
    ).encode()


def test_a_footer_of_friendly_link_selects_does_not_outweigh_a_short_article() -> None:
    options = "".join(f'<option value="http://www.x{i}.gov.cn/">兄弟县区人民政府{i}</option>' for i in range(60))
    footer = f'<div class="links">友情链接：<select onchange="go(this)">{options}</select></div>'
    article = ("<h1>某县民政局2023年政府信息公开工作年度报告</h1>"
               "<p>现将某县民政局2023年政府信息公开工作年度报告予以公开，详见附件。</p>"
               '<p>附件：<a href="./P020240120.pdf">年度报告.pdf</a></p>')
    document = extract_document(_page(article, footer))
    assert "详见附件" in document.text
    assert "政府信息公开工作年度报告" in document.text
    assert "兄弟县区人民政府" not in document.text


def test_buttons_do_not_outweigh_the_article() -> None:
    buttons = "".join(f"<button>按钮文字第{i}个很长很长</button>" for i in range(40))
    document = extract_document(_page("<p>本机关二〇二三年度报告正文，内容详见下文各部分。</p>", buttons))
    assert "报告正文" in document.text


def test_a_row_label_in_prose_followed_by_footer_numbers_is_no_table() -> None:
    """An attachment-only page: "予以公开" in its sentence, then telephone, postcode and filing numbers."""
    article = ("<h1>某县教育局2023年政府信息公开工作年度报告</h1>"
               "<p>现将某县教育局2023年政府信息公开工作年度报告予以公开，详见附件。</p>"
               '<p>附件：<a href="./P020240120.docx">年度报告.docx</a></p>')
    footer = ("<p>联系电话：0799-1234567　邮编：361199</p><p>网站标识码：3611990001　云ICP备05001234号</p>"
              "<p>建议使用1366×768分辨率、IE10以上版本浏览器访问本站</p>")
    report = parse_document(_page(article, footer))
    assert report.requests is None
    assert not report.has_tables


def test_three_request_rows_without_the_heading_are_still_a_table() -> None:
    rows = [("一、本年新收政府信息公开申请数量", 5), ("二、上年结转政府信息公开申请数量", 1),
            ("（一）予以公开", 3), ("（二）部分公开", 2)]
    table = "".join(f"<tr><td>{label}</td>" + "<td>0</td>" * 6 + f"<td>{total}</td></tr>" for label, total in rows)
    report = parse_document(_page(f"<table>{table}</table>", ""))
    assert report.requests is not None
    assert report.requests["new"]["total"] == 5
    assert report.requests["granted"]["total"] == 3


def test_a_short_article_among_heavy_furniture_is_found_by_its_container_name() -> None:
    menu = "".join(f'<li><a href="/col{i}/">栏目{i}</a></li>' for i in range(40))
    page = (
        "<html><body><div class='top'>欢迎访问某县人民政府 今天是2024年1月20日 星期六 天气晴</div>"
        f"<ul class='nav'>{menu}</ul><div class='wrap'>"
        "<div class='crumbs'>当前位置：首页 &gt; 政务公开 &gt; 年报</div>"
        "<div id='zoom' class='TRS_Editor'><p>现将某县民政局2023年政府信息公开工作年度报告予以公开，详见附件。</p></div>"
        "</div><div class='footer'><p>主办单位：某县人民政府办公室 承办单位：某县大数据中心 地址：某县政府路1号</p>"
        "<p>网站标识码3611990001 某ICP备05001234号 公网安备36119902000123号 建议使用1366×768分辨率浏览本站</p></div>"
        "</body></html>"
    ).encode()
    document = extract_document(page)
    assert document.text.strip() == "现将某县民政局2023年政府信息公开工作年度报告予以公开，详见附件。"


def test_a_named_title_block_never_stands_for_the_article() -> None:
    page = (
        "<html><body><div class='top'>欢迎访问某县人民政府 今天是2024年1月20日 星期六 天气晴</div>"
        "<div class='detail-title'>某县民政局2023年政府信息公开工作年度报告（全文）</div>"
        "<div class='nr'><p>一、总体情况。本局认真贯彻落实条例，全年主动公开信息120条。</p></div>"
        "<div class='footer'><p>主办单位：某县人民政府办公室 承办单位：某县大数据中心 地址：某县政府路1号</p>"
        "<p>网站标识码3611990001 某ICP备05001234号 公网安备36119902000123号 建议使用1366×768分辨率浏览本站</p></div>"
        "</body></html>"
    ).encode()
    assert "全年主动公开信息120条" in extract_document(page).text


def test_a_named_block_that_leaves_the_tables_out_is_not_the_article() -> None:
    table = "<table><tr><td>行政许可</td><td>12</td></tr></table>"
    page = (
        "<html><body><div class='top'>欢迎访问某县人民政府 今天是2024年1月20日 星期六 天气晴</div>"
        "<div class='article-content'><p>现将某县民政局2023年政府信息公开工作年度报告公布如下。</p></div>"
        f"<div>{table}</div>"
        "<div class='footer'><p>主办单位：某县人民政府办公室 承办单位：某县大数据中心 地址：某县政府路1号</p>"
        "<p>网站标识码3611990001 某ICP备05001234号 公网安备36119902000123号 建议使用1366×768分辨率浏览本站</p></div>"
        "</body></html>"
    ).encode()
    document = extract_document(page)
    assert document.tables == [[["行政许可", "12"]]]
    assert "行政许可" in document.text
