"""A small HTTP/1.1 keep-alive client on asyncio, for bench/load.py.

The load generator shares two cores with the server it measures, so the client must
be cheap per request: one ``asyncio.Protocol`` per connection, the response parsed
from one buffer, no header object beyond a dict of the few headers asked for.
Standard library only. It speaks just what khabar's server answers: Content-Length or
chunked bodies, ``Connection: close``.
"""

import asyncio


class ConnectionLost(Exception):
    """The server closed the connection (or it broke) before the response was complete."""


class Response:
    __slots__ = ("body", "headers", "status")

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased name -> value (the last one wins)
        self.body = body

    def header(self, name, default=None):
        return self.headers.get(name, default)


class _Protocol(asyncio.Protocol):
    def __init__(self):
        self.transport = None
        self.buffer = bytearray()
        self.waiter = None
        self.closed = False
        self.head = None  # (status, headers, body start, length or -1 for chunked, keep-alive)

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionLost(str(exc) if exc else "closed by the server"))

    def data_received(self, data):
        self.buffer += data
        if self.waiter is not None and not self.waiter.done():
            self._try_complete()

    def _try_complete(self):
        buf = self.buffer
        if self.head is None:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if headers.get("transfer-encoding", "").lower() == "chunked":
                length = -1
            else:
                length = int(headers.get("content-length", "0"))
            keep = headers.get("connection", "").lower() != "close"
            self.head = (status, headers, end + 4, length, keep)
        status, headers, start, length, keep = self.head
        if length >= 0:
            if len(buf) - start < length:
                return
            body = bytes(buf[start:start + length])
            rest = start + length
        else:
            parsed = _dechunk(buf, start)
            if parsed is None:
                return
            body, rest = parsed
        del buf[:rest]
        self.head = None
        self.waiter.set_result((Response(status, headers, body), keep))


def _dechunk(buf, pos):
    """(body, end offset) of a complete chunked body starting at ``pos``, or None while incomplete."""
    parts = []
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        size = int(bytes(buf[pos:line_end]).split(b";", 1)[0], 16)
        pos = line_end + 2
        if size == 0:
            trailer_end = buf.find(b"\r\n\r\n", pos - 2)
            if trailer_end < 0:
                return None
            return b"".join(parts), trailer_end + 4
        if len(buf) < pos + size + 2:
            return None
        parts.append(bytes(buf[pos:pos + size]))
        pos += size + 2


class Connection:
    """One keep-alive connection, reopened when the server closes it or a request times out."""

    def __init__(self, host, port, host_header):
        self.host, self.port, self.host_header = host, port, host_header
        self.protocol = None

    async def _open(self):
        loop = asyncio.get_running_loop()
        _, self.protocol = await loop.create_connection(_Protocol, self.host, self.port)

    def close(self):
        if self.protocol is not None and self.protocol.transport is not None:
            self.protocol.transport.abort()
        self.protocol = None

    async def request(self, method, target, headers=(), body=b"", timeout=10.0):
        """Send one request and return its Response; ConnectionLost or asyncio.TimeoutError on failure.

        ``target`` must already be percent-encoded. After any failure the connection is
        dropped, so the next request starts on a fresh one.
        """
        if self.protocol is None or self.protocol.closed:
            await asyncio.wait_for(self._open(), timeout)
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host_header}"]
        lines.extend(f"{name}: {value}" for name, value in headers)
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        protocol = self.protocol
        protocol.waiter = asyncio.get_running_loop().create_future()
        protocol.head = None
        protocol.transport.write(head + body if body else head)
        if protocol.buffer:  # bytes that arrived early (never expected, but cheap to honour)
            protocol._try_complete()
        try:
            response, keep = await asyncio.wait_for(protocol.waiter, timeout)
        except BaseException:
            self.close()
            raise
        finally:
            protocol.waiter = None
        if not keep:
            self.close()
        return response
