"""What a detail page and its attachment say: the report (via ``documents``) or a plain notice.

Rendering a PDF takes a while, so each rendered file is kept per (item, version) for the life of
the server; the bytes a crawler sees for one version therefore never change.
"""

from __future__ import annotations

import threading
from datetime import date
from html import escape
from importlib import resources

from nianbao.demo import documents
from nianbao.demo.catalog import Item, Placement

_STYLE_BY_PLATFORM = {
    "trs": ("trs_word", "template", "four_tables"),
    "hanweb": ("hanweb", "template"),
    "gkmlpt": ("template", "four_tables"),
    "plain": ("split_labels", "template"),
    "mirror": ("template",),
}
_MEDIA_TYPES = {
    "pdf": "application/pdf",
    "image_pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
}
LEGACY_DOC = "legacy-report.doc"


def html_style(item: Item, platform: str) -> str:
    styles = _STYLE_BY_PLATFORM[platform]
    return styles[item.number % len(styles)]


def attachment_name(item: Item) -> str:
    ext = {"pdf": "pdf", "image_pdf": "pdf", "docx": "docx", "doc": "doc"}[item.form]
    return f"{item.title}.{ext}"


def media_type(item: Item) -> str:
    return _MEDIA_TYPES[item.form]


def article_html(item: Item, placement: Placement, day: date, platform: str, attachment_href: str | None) -> str:
    """The article body of a detail page on ``day``."""
    if item.kind != "report":
        return f'<div class="article-content"><p style="text-indent:2em;">{escape(item.text)}</p></div>'
    if item.form != "html":
        assert attachment_href is not None
        return (
            '<div class="article-content"><p style="text-indent:2em;">'
            f"现将{escape(item.title)}予以公开，详见附件。</p>"
            f'<p>附件：<a href="{escape(attachment_href)}" target="_blank">{escape(attachment_name(item))}</a></p>'
            "</div>"
        )
    version = item.version_on(day)
    assert version is not None
    return documents.render_html_body(version.content, html_style(item, platform))


class AttachmentCache:
    """Rendered attachment bytes, one entry per (item, version)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[tuple[str, date], bytes] = {}

    def get(self, item: Item, day: date) -> bytes:
        version = item.version_on(day)
        assert version is not None
        key = (item.id, version.start)
        with self._lock:
            if key not in self._files:
                self._files[key] = _render(item, version.content)
            return self._files[key]


def _render(item: Item, content: documents.ReportContent) -> bytes:
    if item.form == "docx":
        return documents.render_docx(content)
    if item.form == "pdf":
        return documents.render_pdf(content)
    if item.form == "image_pdf":
        return documents.render_image_only_pdf(content)
    if item.form == "doc":
        return legacy_doc_bytes()
    raise ValueError(f"{item.id} has no attachment (form {item.form})")


def legacy_doc_bytes() -> bytes:
    """The bundled legacy Word report (copied from the documents fixtures)."""
    return resources.files("nianbao.demo").joinpath("data", LEGACY_DOC).read_bytes()
