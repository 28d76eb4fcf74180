"""gzip on a stream: an object whose bytes start with gzip's magic number is read through a
decompressor, chunk by chunk (several concatenated gzip members, as appending writers leave
them, are read one after the other), and written back through a compressor, so neither the
compressed nor the plain object is ever held in memory whole."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from rightsflow.integration.stores.formats.records import Unreadable

GZIP_MAGIC = b"\x1f\x8b"
_GZIP = 16 + zlib.MAX_WBITS  # a gzip header and trailer around deflate data
LEVEL = 6  # gzip's own default
PLAIN_PIECE = 1 << 20  # bytes of plain text handed on at a time


def is_gzip(first_bytes: bytes) -> bool:
    return first_bytes.startswith(GZIP_MAGIC)


def gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The plain bytes of a gzip stream, however many members it holds, handed on at most
    PLAIN_PIECE bytes at a time (one megabyte of gzip can hold a hundred of plain text, which
    must not come out whole). Raises Unreadable (naming the compressed byte offset) when the
    stream is not valid gzip or is cut short."""
    decompressor = zlib.decompressobj(_GZIP)
    position = 0  # compressed bytes consumed
    in_member = False
    for chunk in chunks:
        data = chunk
        more = False  # the last call filled its output: zlib may hold more for this input
        while data or more:
            if not in_member and not data.strip(b"\x00"):
                position += len(data)  # zero padding after the last member
                break
            in_member = True
            try:
                plain = decompressor.decompress(data, PLAIN_PIECE)
            except zlib.error as error:
                raise Unreadable(
                    f"not valid gzip near compressed byte {position}: {error}"
                ) from None
            if plain:
                yield plain
            more = len(plain) == PLAIN_PIECE
            if decompressor.eof:
                # One member ended: what follows is the next member.
                rest = decompressor.unused_data
                position += len(data) - len(rest)
                data, in_member, more = rest, False, False
                decompressor = zlib.decompressobj(_GZIP)
            else:
                tail = decompressor.unconsumed_tail
                position += len(data) - len(tail)
                data = tail
    if in_member:
        raise Unreadable(f"the gzip stream ends early, at compressed byte {position}")


def gzip(chunks: Iterable[bytes], level: int = LEVEL) -> Iterator[bytes]:
    """One gzip member holding the chunks, compressed as they come (small chunks, a record's
    line each, are gathered first: zlib is called per 256 kB, not per line)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, _GZIP)
    gathered: list[bytes] = []
    size = 0
    for chunk in chunks:
        gathered.append(chunk)
        size += len(chunk)
        if size >= GATHER:
            compressed = compressor.compress(b"".join(gathered))
            gathered, size = [], 0
            if compressed:
                yield compressed
    compressed = compressor.compress(b"".join(gathered))
    if compressed:
        yield compressed
    yield compressor.flush()


GATHER = 256 * 1024
