"""A small front for the fuzz tests: a proxy on 127.0.0.1 that refuses request heads over 16 KiB (431),
as uvicorn's h11 and Node do, and counts what it refused. One request per connection."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

HEAD_LIMIT = 16 * 1024
REFUSAL = b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@dataclass
class Front:
    upstream: str
    url: str = ""
    refused: list[int] = field(default_factory=list)  # sizes of the heads it refused
    largest: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            self.refused.append(HEAD_LIMIT + 1)
            writer.write(REFUSAL)
            await writer.drain()
            writer.close()
            return
        except asyncio.IncompleteReadError:
            writer.close()
            return
        self.largest = max(self.largest, len(head))
        if len(head) > HEAD_LIMIT:
            self.refused.append(len(head))
            writer.write(REFUSAL)
            await writer.drain()
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        length = next((int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")), 0)
        body = await reader.readexactly(length) if length else b""
        kept = [line for line in lines[1:] if line and not line.lower().startswith("connection:")]
        request = "\r\n".join([lines[0], *kept, "Connection: close", "", ""]).encode("latin-1") + body
        target = urlsplit(self.upstream)
        up_reader, up_writer = await asyncio.open_connection(target.hostname, target.port)
        up_writer.write(request)
        await up_writer.drain()
        answer = await up_reader.read()
        up_writer.close()
        writer.write(answer)
        await writer.drain()
        writer.close()


@contextmanager
def front(upstream: str) -> Iterator[Front]:
    """A running front before `upstream` (http://127.0.0.1:PORT) for the duration of the block."""
    proxy = Front(upstream)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, asyncio.AbstractServer] = {}

    async def start() -> None:
        server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0, limit=HEAD_LIMIT)
        holder["server"] = server
        proxy.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        started.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield proxy
    finally:
        loop.call_soon_threadsafe(holder["server"].close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
