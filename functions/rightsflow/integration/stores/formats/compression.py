"""gzip on a stream: an object whose bytes start with gzip's magic number is read through a
decompressor, chunk by chunk (several concatenated gzip members, as appending writers leave
them, are read one after the other), and written back through a compressor, so neither the
compressed nor the plain object is ever held in memory whole.

gzip is the one compression a text store reads. An object compressed any other way (its name
ends `.bz2`, `.xz`, `.zst`..., or its bytes start with such a format's magic number), or
compressed twice (gzip inside gzip), is unreadable: never read as text that holds nobody."""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Final

from rightsflow.integration.stores.formats.records import Unreadable

GZIP_MAGIC = b"\x1f\x8b"
_GZIP = 16 + zlib.MAX_WBITS  # a gzip header and trailer around deflate data
LEVEL = 6  # gzip's own default
PLAIN_PIECE = 1 << 20  # bytes of plain text handed on at a time


def is_gzip(first_bytes: bytes) -> bool:
    return first_bytes.startswith(GZIP_MAGIC)


# The magic numbers of the compressions and archives a text store does not read.
OTHER_MAGIC: Final = (
    (re.compile(rb"BZh[1-9](1AY&SY|\x17rE8P\x90)", re.DOTALL), "bzip2"),
    (re.compile(re.escape(b"\xfd7zXZ\x00")), "xz"),
    (re.compile(re.escape(b"\x28\xb5\x2f\xfd")), "zstd"),
    (re.compile(re.escape(b"\x04\x22\x4d\x18")), "lz4"),
    (re.compile(re.escape(b"\xff\x06\x00\x00sNaPpY")), "snappy"),
    (re.compile(re.escape(b"PK\x03\x04")), "zip"),
    (re.compile(re.escape(b"7z\xbc\xaf\x27\x1c")), "7z"),
    (re.compile(re.escape(b"\x5d\x00\x00")), "lzma"),
)
# The names' endings that say so (brotli and Hadoop's codecs have no magic number).
OTHER_ENDINGS: Final = {
    ".bz2": "bzip2",
    ".xz": "xz",
    ".lzma": "lzma",
    ".zst": "zstd",
    ".zstd": "zstd",
    ".lz4": "lz4",
    ".snappy": "snappy",
    ".sz": "snappy",
    ".zip": "zip",
    ".7z": "7z",
    ".br": "brotli",
    ".lzo": "lzo",
    ".deflate": "deflate",
    ".z": "compress",
}
_MAGIC_BYTES: Final = 16


def other_compression(first_bytes: bytes) -> str | None:
    """The compression (other than gzip) an object's first bytes say, if any."""
    for pattern, name in OTHER_MAGIC:
        if pattern.match(first_bytes):
            return name
    return None


def plain_text(chunks: Iterable[bytes], name: str, gzipped: bool) -> Iterator[bytes]:
    """An object's text: through gzip where it is gzip (`gzipped`: its magic number). Raises
    Unreadable, before any text, where the object's name or bytes say another compression, or
    its gzip holds a compressed stream again."""
    ending = "." + name.rsplit("/", 1)[-1].rsplit(".", 1)[-1].lower() if "." in name else ""
    if ending in OTHER_ENDINGS:
        raise Unreadable(
            f"its name says {OTHER_ENDINGS[ending]} compression; a text store reads gzip only"
        )
    stream = iter(chunks)
    head, stream = _peek(stream)
    found = other_compression(head)
    if found:
        raise Unreadable(f"it is compressed with {found}; a text store reads gzip only")
    if not gzipped:
        yield from stream
        return
    plain, rest = _peek(gunzip(stream))
    inner = "gzip" if is_gzip(plain) else other_compression(plain)
    if inner:
        raise Unreadable(f"its gzip holds {inner} data again; it must be gzip once, not twice")
    yield from rest


def _peek(chunks: Iterator[bytes]) -> tuple[bytes, Iterator[bytes]]:
    """The first bytes of a stream (at least _MAGIC_BYTES, unless it is shorter), and the whole
    stream again."""
    taken: list[bytes] = []
    size = 0
    for chunk in chunks:
        taken.append(chunk)
        size += len(chunk)
        if size >= _MAGIC_BYTES:
            break
    return b"".join(taken)[:_MAGIC_BYTES], itertools.chain(taken, chunks)


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
