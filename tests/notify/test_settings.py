"""The settings file and NIANBAO_NOTIFY: where channels come from, and clear errors when they are wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.channels import ChannelFilter, redact_url
from monitor.notify import send_notifications
from monitor.scheduler import ScheduleConfig
from nianbao.settings import SettingsError, load_settings, notify_channels
from tests.notify.bodies import attempt_rows, raise_alert, seed_county
from tests.notify.servers import Webhook


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("NIANBAO_NOTIFY", "NIANBAO_SETTINGS", "NIANBAO_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook().start()
    yield hook
    hook.stop()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_defaults(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.path is None and settings.channels == () and settings.schedule == ScheduleConfig()


def test_file_channels_with_filters_and_the_schedule(tmp_path: Path) -> None:
    path = write(
        tmp_path / "elsewhere.yaml",
        """
registry: bodies/registry.yaml
notify:
  - name: 县政务公开办
    url: json://127.0.0.1:9/hook
    events: [opened, digest]
    levels: [township]
    parents: ["350128-gov"]
    kinds: [missing, late]
  - mailto://127.0.0.1:2525?from=a@example.org&to=b@example.org
schedule:
  cron: "30 2 * * *"
  busy_windows: ["01-20/02-10"]
  workers: 2
""",
    )
    settings = load_settings(path)
    office, mail = settings.channels
    assert office.name == "县政务公开办" and office.events == ("opened", "digest")
    assert office.filter == ChannelFilter(
        levels=("township",), parents=("350128-gov",), kinds=("missing", "late")
    )
    assert mail.events == ("opened", "resolved") and mail.name.startswith("mailto://127.0.0.1:2525")
    assert settings.schedule.cron == "30 2 * * *" and settings.schedule.workers == 2
    assert settings.registry == (tmp_path / "bodies" / "registry.yaml").resolve()


def test_the_env_var_and_the_default_file_are_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "nianbao.yaml", "notify: [json://127.0.0.1:9/default]\n")
    assert load_settings().channels[0].url.endswith("/default")
    other = write(tmp_path / "other.yaml", "notify: [json://127.0.0.1:9/other]\n")
    monkeypatch.setenv("NIANBAO_SETTINGS", str(other))
    assert load_settings().channels[0].url.endswith("/other")
    assert load_settings(tmp_path / "nianbao.yaml").channels[0].url.endswith("/default")  # --settings wins


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("notify: [json://127.0.0.1:9/a\n", "not valid YAML at line"),
        (
            "notify:\n  - url: nosuchservice://x\n",
            "notify channel 1: nosuchservice://x is not a usable Apprise URL",
        ),
        ("notify:\n  - url: json://h/x\n    kinds: [missed]\n", "'kinds' has missed; allowed: missing"),
        ("notify:\n  - url: json://h/x\n    colour: red\n", "unknown field(s) colour"),
        ("schedule:\n  cron: every day\n", "'cron' must have five fields"),
        ("schedule:\n  busy_windows: ['13-01/02-01']\n", "busy window '13-01/02-01' is not MM-DD/MM-DD"),
        ("schedule:\n  workers: 0\n", "'workers' must be a positive whole number"),
        ("colours: []\n", "unknown section(s) colours"),
        ("- a\n- b\n", "expected a mapping"),
    ],
)
def test_bad_settings_are_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_a_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "absent.yaml")


def test_env_channels_and_file_channels_together_without_secrets_in_rows(
    db_url: str, tmp_path: Path, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_county(db_url)
    raise_alert(db_url, "town-a", 2023, "missing")
    raise_alert(db_url, "elsewhere", 2023, "late")
    dead = Webhook()  # nothing listens: its error must not leak the password either
    monkeypatch.setenv(
        "NIANBAO_NOTIFY",
        f"json://robot:s3cr3t-pass@127.0.0.1:{webhook.port}/env json://robot:s3cr3t-pass@127.0.0.1:{dead.port}/x",
    )
    settings = write(
        tmp_path / "settings.yaml",
        f"notify:\n  - name: county\n    url: json://127.0.0.1:{webhook.port}/county\n    parents: [county]\n",
    )
    monkeypatch.setenv("NIANBAO_SETTINGS", str(settings))

    assert send_notifications(db_url) == 3
    assert len(webhook.texts("/env")) == 2 and len(webhook.texts("/county")) == 1
    rows = attempt_rows(db_url)
    assert {r.channel for r in rows} == {
        "county",
        f"json://robot:****@127.0.0.1:{webhook.port}/env",
        f"json://robot:****@127.0.0.1:{dead.port}/x",
    }
    for row in rows:
        assert "s3cr3t" not in f"{row.channel} {row.body} {row.last_error}"
    assert any(row.last_error for row in rows)


def test_a_url_named_twice_is_one_channel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_NOTIFY", "json://127.0.0.1:9/a json://127.0.0.1:9/a json://127.0.0.1:9/b")
    path = write(tmp_path / "s.yaml", "notify:\n  - {name: a, url: 'json://127.0.0.1:9/a', kinds: [late]}\n")
    channels = notify_channels(load_settings(path))
    assert [c.name for c in channels] == ["a", "json://127.0.0.1:9/b"]


def test_bad_notify_env_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_NOTIFY", "json://127.0.0.1:9/ok not-a-url")
    with pytest.raises(SettingsError, match="NIANBAO_NOTIFY: URL 2"):
        notify_channels(load_settings())


def test_redaction_hides_passwords_and_tokens() -> None:
    assert redact_url("mailtos://user:pw12345@smtp.example.org?to=x@example.org").find("pw12345") == -1
    assert "ABCDEFsecret" not in redact_url("tgram://123456:ABCDEFsecret/987")


def test_the_example_settings_file_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_SMTP_USER", "bot")
    monkeypatch.setenv("NIANBAO_SMTP_PASSWORD", "pw-from-env")
    example = Path(__file__).resolve().parents[2] / "deploy" / "nianbao.example.yaml"
    settings = load_settings(example)
    office, group = settings.channels
    assert office.events == ("opened", "resolved", "digest") and "pw-from-env" in office.url
    assert "pw-from-env" not in office.name
    assert group.filter.kinds == ("missing", "late")
    assert settings.schedule.busy_windows == ("01-17/02-14", "03-17/04-14")
    assert settings.registry is not None and settings.registry.name == "registry.yaml"


def test_an_unset_variable_in_a_url_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_NO_SUCH_VAR", raising=False)
    path = write(tmp_path / "s.yaml", "notify:\n  - url: json://${NIANBAO_NO_SUCH_VAR}@127.0.0.1/x\n")
    with pytest.raises(SettingsError, match="environment variable that is not set"):
        load_settings(path)
