"""Real receivers on 127.0.0.1: an SMTP server and a JSON webhook, each recording what arrives."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MailBox:
    """aiosmtpd on a free port; ``messages`` are the parsed e-mails in arrival order."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self.port = free_port()
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
                box.messages.append(message_from_bytes(envelope.content, policy=default))  # type: ignore[arg-type]
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def url(self, to: str = "office@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=nianbao@example.org&to={to}"

    def start(self) -> MailBox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def texts(self) -> list[str]:
        """Subject and plain text of each message."""
        result = []
        for message in self.messages:
            part = message.get_body(preferencelist=("plain", "html"))
            content = part.get_content().replace("\r\n", "\n") if part else ""
            result.append(f"{message['subject']}\n{content}")
        return result


class Webhook:
    """A JSON endpoint that can start on a port reserved earlier (a channel that comes back)."""

    def __init__(self, port: int | None = None, status: int = 200) -> None:
        self.port = port or free_port()
        self.status = status
        self.hold: threading.Event | None = None  # when given, answers wait until it is set
        self.received: list[dict[str, Any]] = []
        self._server: ThreadingHTTPServer | None = None

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def start(self) -> Webhook:
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length).decode("utf-8"))
                if hook.status == 200:
                    hook.received.append({**payload, "path": self.path})
                if hook.hold is not None:
                    hook.hold.wait(30)
                self.send_response(hook.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.allow_reuse_address = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def texts(self, path: str | None = None) -> list[str]:
        return [
            f"{item.get('title', '')}\n{item.get('message', '')}"
            for item in self.received
            if path is None or item["path"] == path
        ]
