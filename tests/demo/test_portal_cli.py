"""`python -m nianbao.demo.portal` serves the county on consecutive ports until it is stopped."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.demo.portal_http import fetch

PORTALS = 9


def _free_port_run() -> int:
    """A first port P such that P .. P+8 are all free right now."""
    rng = random.Random()
    for _ in range(50):
        base = rng.randrange(20000, 60000)
        sockets = []
        try:
            for offset in range(PORTALS):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no run of free ports")


def test_module_serves_prints_urls_and_writes_registry_and_truth(tmp_path: Path):
    port = _free_port_run()
    registry, truth = tmp_path / "registry.yaml", tmp_path / "truth.json"
    env = {**os.environ, "NIANBAO_NOW": "2024-06-01T10:00:00+08:00"}
    process = subprocess.Popen(
        [sys.executable, "-m", "nianbao.demo.portal", "--port", str(port), "--registry-out", str(registry),
         "--truth-out", str(truth), "--timeout-delay", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while len(lines) < 1 + PORTALS and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
        assert "as of 2024-06-01" in lines[0]
        urls = dict(line.split() for line in lines[1:])
        assert urls["county"] == f"http://127.0.0.1:{port}/"
        assert sorted(int(u.rsplit(":", 1)[1].rstrip("/")) for u in urls.values()) == list(range(port, port + PORTALS))
        assert fetch(urls["county"]).status == 200
        agencies = yaml.safe_load(registry.read_text(encoding="utf-8"))["agencies"]
        assert any(a["portal"] == urls["county"] for a in agencies)
        data = json.loads(truth.read_text(encoding="utf-8"))
        assert data["as_of"] == "2024-06-01" and data["statuses"]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0


def test_module_refuses_a_bad_scale():
    result = subprocess.run([sys.executable, "-m", "nianbao.demo.portal", "--scale", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--scale" in result.stderr
