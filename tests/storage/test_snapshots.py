"""Every response is kept; identical bodies are stored once."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.db import open_database
from storage.models import Blob, Snapshot
from storage.snapshots import latest_snapshot, load_blob, record_snapshot, sha256_of


def test_same_body_twice_keeps_one_copy(db_url: str) -> None:
    body = "<html><body>2023年度政府信息公开工作年度报告</body></html>".encode("gbk") * 50
    with open_database(db_url) as session:
        first = record_snapshot(session, url="http://127.0.0.1/a.html", body=body, http_status=200,
                                headers={"ETag": '"x1"'}, content_type="text/html; charset=gbk", encoding="gbk")
    with open_database(db_url) as session:
        second = record_snapshot(session, url="http://127.0.0.1/b.html", body=body, http_status=200)
    with open_database(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Blob)) == 1
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 2
        stored = session.get(Blob, sha256_of(body))
        assert stored is not None and stored.size == len(body) and len(stored.data) < len(body)
        assert load_blob(session, first.sha256 or "") == body
        assert second.sha256 == first.sha256
        assert latest_snapshot(session, "http://127.0.0.1/a.html").headers == {"ETag": '"x1"'}


def test_a_fetch_without_body_is_still_evidence(db_url: str) -> None:
    with open_database(db_url) as session:
        record_snapshot(session, url="http://127.0.0.1/x", body=None, http_status=412)
    with open_database(db_url) as session:
        rows = session.scalars(select(Snapshot)).all()
        assert [(r.http_status, r.sha256) for r in rows] == [(412, None)]
        assert latest_snapshot(session, "http://127.0.0.1/x") is None
        assert latest_snapshot(session, "http://127.0.0.1/x", with_body=False) is not None
