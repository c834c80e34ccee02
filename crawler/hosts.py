"""Which hosts a portal's crawl may visit: its own host and *.gov.cn siblings, nothing else.

Mirror sites and link farms copy government pages; following them would file copies as reports.
Loopback and private addresses are visited only when the portal itself lives there, and then only
at the portal's own port.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

GOV_SUFFIX = ".gov.cn"


def _host_port(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is None:
        port = {"http": 80, "https": 443}.get(parts.scheme)
    return host, port


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_internal(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_reserved


def is_loopback(url: str) -> bool:
    """A URL served by this very machine (127.0.0.0/8, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def download_slot(url: str) -> str | None:
    """The download slot of a loopback URL: its host and port (each port is a separate server, while
    Scrapy keys slots by host name alone); None elsewhere (Scrapy's own per-host slot)."""
    return urlsplit(url).netloc if is_loopback(url) else None


def allowed(url: str, portal_url: str) -> bool:
    """Whether a crawl of ``portal_url`` may follow a link to ``url``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    host, port = _host_port(url)
    home_host, home_port = _host_port(portal_url)
    if not host:
        return False
    if host == home_host and port == home_port:
        return True
    if host == home_host and not _is_ip(host) and not _is_internal(host) and {port, home_port} <= {80, 443}:
        return True  # the same site over http and https
    if _is_internal(host) or _is_ip(host):
        return False
    return host.endswith(GOV_SUFFIX) and home_host.endswith(GOV_SUFFIX) and port in (80, 443)
