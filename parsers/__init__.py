"""Pure report parsing: bytes in, ``Report`` out. No network, no database, no Scrapy."""

from parsers.api import extract_document, parse_document
from parsers.checks import Check, carry_over
from parsers.document import Document
from parsers.report import Report
from parsers.titles import TitleInfo, classify_title

__all__ = [
    "Check",
    "Document",
    "Report",
    "TitleInfo",
    "carry_over",
    "classify_title",
    "extract_document",
    "parse_document",
]
