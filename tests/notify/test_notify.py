"""Alerts reach real receivers: an SMTP server and a JSON webhook on 127.0.0.1."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.channels import Channel, ChannelFilter
from monitor.notify import LEASE, retry_delay, send_notifications
from storage.clock import now
from tests.notify.bodies import attempt_rows, raise_alert, resolve_alert, seed_county
from tests.notify.servers import MailBox, Webhook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mailbox() -> Iterator[MailBox]:
    box = MailBox().start()
    yield box
    box.stop()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook().start()
    yield hook
    hook.stop()


@pytest.fixture(autouse=True)
def no_configured_channels(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NIANBAO_NOTIFY", raising=False)
    monkeypatch.delenv("NIANBAO_SETTINGS", raising=False)
    monkeypatch.delenv("NIANBAO_NOW", raising=False)
    monkeypatch.chdir(tmp_path)


def test_new_alerts_reach_mail_and_webhook_once(db_url: str, mailbox: MailBox, webhook: Webhook) -> None:
    seed_county(db_url)
    missing = raise_alert(db_url, "town-a", 2023, "missing", "截止2024-01-31未发现2023年度报告")
    late = raise_alert(db_url, "edu", 2022, "late")
    channels = [Channel("mail", mailbox.url()), Channel("hook", webhook.url())]

    assert send_notifications(db_url, channels) == 4

    for texts in (mailbox.texts(), webhook.texts()):
        assert len(texts) == 2
        first = next(t for t in texts if f"#{missing}" in t)
        assert first.startswith("【年报监测】新告警：岚城乡 2023年度逾期未发布年报")
        assert "岚城乡（town-a，乡镇）" in first
        assert "上级单位：平潭县人民政府（county）" in first
        assert "截止2024-01-31未发现2023年度报告" in first
        second = next(t for t in texts if f"#{late}" in t)
        assert "平潭县教育局" in second and "年报逾期发布" in second and "2022" in second

    assert send_notifications(db_url, channels) == 0
    assert len(mailbox.messages) == 2 and len(webhook.received) == 2
    rows = attempt_rows(db_url)
    assert len(rows) == 4 and all(r.delivered and r.attempts == 1 for r in rows)


def test_resolution_is_sent_once_and_only_to_channels_told_of_the_alert(
    db_url: str, webhook: Webhook
) -> None:
    seed_county(db_url)
    alert = raise_alert(db_url, "town-b", 2023, "missing")
    told = Channel("told", webhook.url("/told"))
    assert send_notifications(db_url, [told]) == 1
    resolve_alert(db_url, alert)
    latecomer = Channel("latecomer", webhook.url("/latecomer"))

    assert send_notifications(db_url, [told, latecomer]) == 1
    assert send_notifications(db_url, [told, latecomer]) == 0

    resolution = webhook.texts("/told")[1]
    assert resolution.startswith("【年报监测】告警解除：苏澳镇 2023年度逾期未发布年报")
    assert f"#{alert}（类型 missing）已解除" in resolution
    assert webhook.texts("/latecomer") == []


def test_a_channel_that_is_down_gets_its_messages_after_it_comes_back_exactly_once(
    db_url: str, mailbox: MailBox, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_county(db_url)
    ids = [raise_alert(db_url, "town-a", 2023, "missing"), raise_alert(db_url, "town-b", 2023, "late")]
    down = Webhook()  # its port is reserved but nothing listens yet
    channels = [Channel("hook", down.url()), Channel("mail", mailbox.url())]
    started = now()

    assert send_notifications(db_url, channels) == 2
    assert len(mailbox.messages) == 2  # the mail went out at once, untouched by the dead webhook
    hook_rows = [r for r in attempt_rows(db_url) if r.channel == "hook"]
    assert [r.delivered for r in hook_rows] == [False, False]
    assert sorted(r.attempts for r in hook_rows) == [0, 1]  # the second was put off, not tried again
    assert all("127.0.0.1" in (r.last_error or "") for r in hook_rows if r.attempts)
    assert all(r.next_attempt_at >= started + retry_delay(1) for r in hook_rows)

    down.start()
    try:
        assert send_notifications(db_url, channels) == 0  # back-off: not due yet
        assert down.received == []
        monkeypatch.setenv("NIANBAO_NOW", (now() + timedelta(minutes=2)).isoformat())
        assert send_notifications(db_url, channels) == 2
        assert send_notifications(db_url, channels) == 0
        delivered = Counter(t.split("\n")[1] for t in down.texts())
        assert delivered == Counter(
            f"告警编号：#{i}（类型 {k}）" for i, k in zip(ids, ("missing", "late"), strict=True)
        )
    finally:
        down.stop()
    assert len(mailbox.messages) == 2


def test_back_off_doubles_and_is_capped() -> None:
    assert [retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert retry_delay(30) == timedelta(hours=6)


def test_a_rejecting_service_is_retried_without_resending_to_the_others(
    db_url: str, webhook: Webhook
) -> None:
    seed_county(db_url)
    raise_alert(db_url, "edu", 2023, "inconsistent")
    failing = Webhook(status=500).start()
    try:
        channels = [Channel("failing", failing.url()), Channel("ok", webhook.url())]
        assert send_notifications(db_url, channels) == 1
        failing.status = 200
        later = now() + timedelta(minutes=5)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("NIANBAO_NOW", later.isoformat())
            assert send_notifications(db_url, channels) == 1
        assert len(failing.received) == 1 and len(webhook.received) == 1
        failing_row = next(r for r in attempt_rows(db_url) if r.channel == "failing")
        assert failing_row.delivered and failing_row.attempts == 2
    finally:
        failing.stop()


def test_filters_choose_what_each_channel_gets(db_url: str, webhook: Webhook) -> None:
    seed_county(db_url)
    town_missing = raise_alert(db_url, "town-a", 2023, "missing")
    town_late = raise_alert(db_url, "town-b", 2023, "late")
    edu_missing = raise_alert(db_url, "edu", 2023, "missing")
    far_missing = raise_alert(db_url, "elsewhere", 2023, "missing")
    channels = [
        Channel(
            "county-missing", webhook.url("/a"), filter=ChannelFilter(parents=("county",), kinds=("missing",))
        ),
        Channel("departments", webhook.url("/b"), filter=ChannelFilter(levels=("county_department",))),
        Channel("everything", webhook.url("/c")),
    ]
    send_notifications(db_url, channels)

    def ids(path: str) -> set[int]:
        return {int(m.group(1)) for t in webhook.texts(path) if (m := re.search(r"告警编号：#(\d+)", t))}

    assert ids("/a") == {town_missing, edu_missing}
    assert ids("/b") == {edu_missing, far_missing}
    assert ids("/c") == {town_missing, town_late, edu_missing, far_missing}


def test_digest_per_supervising_body_is_sent_when_its_content_changes(db_url: str, webhook: Webhook) -> None:
    seed_county(db_url)
    a = raise_alert(db_url, "town-a", 2023, "missing")
    b = raise_alert(db_url, "town-b", 2023, "late")
    raise_alert(db_url, "elsewhere", 2023, "missing")  # no supervising body: no digest
    office = [Channel("office", webhook.url(), events=("digest",))]

    assert send_notifications(db_url, office) == 1
    digest = webhook.texts()[0]
    assert digest.startswith("【年报监测】平潭县人民政府 所属单位年报情况汇总：2个单位，2项问题")
    assert "上级单位：平潭县人民政府（county）" in digest
    assert f"- 岚城乡（town-a）2023年度  告警 #{a}" in digest
    assert f"- 苏澳镇（town-b）2023年度  告警 #{b}" in digest
    assert digest.index("逾期未发布年报（missing，1项）") < digest.index("年报逾期发布（late，1项）")

    assert send_notifications(db_url, office) == 0  # same content, nothing sent

    c = raise_alert(db_url, "edu", 2022, "missing")
    assert send_notifications(db_url, office) == 1
    assert "3项问题" in webhook.texts()[1] and f"#{c}" in webhook.texts()[1]

    for alert in (a, b, c):
        resolve_alert(db_url, alert)
    assert send_notifications(db_url, office) == 1
    assert "无未解决问题" in webhook.texts()[2]
    assert send_notifications(db_url, office) == 0
    assert len(webhook.received) == 3


def test_acknowledged_alerts_are_not_announced(db_url: str, webhook: Webhook) -> None:
    from storage.db import open_database
    from storage.models import Alert

    seed_county(db_url)
    alert = raise_alert(db_url, "town-a", 2023, "missing")
    with open_database(db_url) as session:
        session.get(Alert, alert).acked_at = now()  # type: ignore[union-attr]
    assert send_notifications(db_url, [Channel("hook", webhook.url())]) == 0
    assert webhook.received == []


def test_two_senders_at_once_deliver_each_message_once(db_url: str, webhook: Webhook) -> None:
    seed_county(db_url)
    for year in range(2019, 2024):
        for agency in ("town-a", "town-b", "edu"):
            raise_alert(db_url, agency, year, "missing")
    channels = [Channel("hook", webhook.url())]
    sent: list[int] = []
    threads = [
        threading.Thread(target=lambda: sent.append(send_notifications(db_url, channels))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(sent) == 15
    lines = Counter(t.split("\n")[1] for t in webhook.texts())
    assert len(lines) == 15 and set(lines.values()) == {1}


def test_a_sender_killed_mid_send_holds_its_row_until_the_lease_ends(
    db_url: str, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one window a crash cannot close: the service has the message, the row does not say so.

    The row stays with the dead sender for the lease, so a restart right after sends nothing
    twice; once the lease is over it is sent again (at least once beats never).
    """
    seed_county(db_url)
    alert = raise_alert(db_url, "town-a", 2023, "missing")
    webhook.hold = threading.Event()
    sender = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from monitor.channels import Channel; from monitor.notify import send_notifications;"
            "send_notifications(sys.argv[1], [Channel('hook', sys.argv[2])])",
            db_url,
            webhook.url(),
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while not webhook.received and time.monotonic() < deadline and sender.poll() is None:
            time.sleep(0.05)
        assert webhook.received, "the sender never reached the webhook"
    finally:
        sender.kill()
        sender.wait(10)
        webhook.hold.set()
    webhook.hold = None
    (row,) = attempt_rows(db_url)
    assert not row.delivered

    channels = [Channel("hook", webhook.url())]
    assert send_notifications(db_url, channels) == 0
    assert len(webhook.received) == 1

    monkeypatch.setenv("NIANBAO_NOW", (now() + LEASE + timedelta(minutes=1)).isoformat())
    assert send_notifications(db_url, channels) == 1
    assert [f"#{alert}" in t for t in webhook.texts()] == [True, True]
    (row,) = attempt_rows(db_url)
    assert row.delivered


def test_no_channels_means_no_rows(db_url: str) -> None:
    seed_county(db_url)
    raise_alert(db_url, "town-a", 2023, "missing")
    assert send_notifications(db_url) == 0
    assert attempt_rows(db_url) == []
