"""A local stand-in for the clinic's SMTP server: speaks enough SMTP for Django's backend and records every
accepted message (recipient, Message-ID). It does not deduplicate: a message sent twice is recorded twice."""

from __future__ import annotations

import contextlib
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes


@dataclass
class FakeSmtp:
    port: int
    messages: list[tuple[str, str]] = field(default_factory=list)  # (recipient, Message-ID)


@contextmanager
def fake_smtp_server() -> Iterator[FakeSmtp]:
    lock = threading.Lock()
    fake: FakeSmtp

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")
            self.wfile.flush()

        def handle(self) -> None:
            with contextlib.suppress(ConnectionError):  # a sender killed mid-conversation: nothing accepted
                self.converse()

        def converse(self) -> None:
            self.reply("220 fake ESMTP")
            recipients: list[str] = []
            while line := self.rfile.readline():
                verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                if verb in {"EHLO", "HELO"}:
                    self.reply("250 fake")
                elif verb == "MAIL":
                    recipients = []
                    self.reply("250 ok")
                elif verb == "RCPT":
                    recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 go on")
                    data = b""
                    while (chunk := self.rfile.readline()) not in {b".\r\n", b""}:
                        data += chunk
                    message_id = str(message_from_bytes(data).get("Message-ID", ""))
                    with lock:
                        fake.messages.extend((to, message_id) for to in recipients)
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake = FakeSmtp(port=server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
