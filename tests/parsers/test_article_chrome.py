"""Finding the article among page furniture that is text but not reading matter."""

from __future__ import annotations

from parsers.api import extract_document


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
