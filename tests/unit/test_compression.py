"""gzip on a stream: whatever the chunking and however compressible the text, the plain bytes
come out whole and in bounded pieces."""

from __future__ import annotations

import bz2
import gzip as stdlib_gzip
import lzma
import os

import pytest

from rightsflow.integration.stores.formats import compression
from rightsflow.integration.stores.formats.records import Unreadable


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5000, 123_456])
@pytest.mark.parametrize("chunk", [1, 7, 1000, 1_000_000])
def test_every_byte_comes_out_in_pieces_no_larger_than_the_limit(
    size: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN two gzip members (an appending writer's), the first half random and half one
    # repeated byte (which compresses a thousandfold), read in chunks of any size
    monkeypatch.setattr(compression, "PLAIN_PIECE", 1000)
    plain = os.urandom(size // 2) + b"a" * (size - size // 2)
    packed = stdlib_gzip.compress(plain) + stdlib_gzip.compress(b"tail")
    chunks = [packed[start : start + chunk] for start in range(0, len(packed), chunk)]

    # WHEN it is read
    pieces = list(compression.gunzip(chunks))

    # THEN every byte comes out, in order, never more than the limit at a time
    assert b"".join(pieces) == plain + b"tail"
    assert all(len(piece) <= 1000 for piece in pieces)


def test_a_stream_cut_short_is_unreadable_naming_where() -> None:
    packed = stdlib_gzip.compress(b"x" * 10_000)
    with pytest.raises(Unreadable, match="ends early"):
        list(compression.gunzip([packed[:-9]]))


def test_what_is_written_back_is_gzip_of_the_same_bytes() -> None:
    lines = [f'{{"n": {n}}}\n'.encode() for n in range(50_000)]
    assert stdlib_gzip.decompress(b"".join(compression.gzip(lines))) == b"".join(lines)


@pytest.mark.parametrize(
    ("name", "packed", "said"),
    [
        ("sms/a.jsonl.bz2", bz2.compress(b'{"phone": "+441"}\n'), "bzip2"),
        ("sms/a.jsonl.xz", lzma.compress(b'{"phone": "+441"}\n'), "xz"),
        ("sms/a.jsonl.zst", b'{"phone": "+441"}\n', "zstd"),
        ("sms/a.jsonl", bz2.compress(b'{"phone": "+441"}\n'), "bzip2"),
        ("sms/a.jsonl", lzma.compress(b'{"phone": "+441"}\n'), "xz"),
        ("sms/a.jsonl", b"\x28\xb5\x2f\xfd" + b"\x00" * 20, "zstd"),
    ],
)
def test_an_object_compressed_another_way_than_gzip_is_unreadable(
    name: str, packed: bytes, said: str
) -> None:
    # GIVEN an object whose name or bytes say a compression other than gzip
    # WHEN its text is read, THEN it is unreadable, naming the compression (before: read as
    # text holding no record, so counted indexed with nothing found)
    with pytest.raises(Unreadable, match=said):
        list(compression.plain_text([packed], name, compression.is_gzip(packed)))


def test_gzip_inside_gzip_is_unreadable_and_gzip_once_is_read() -> None:
    text = b'{"phone": "+441"}\n'
    twice = stdlib_gzip.compress(stdlib_gzip.compress(text))
    with pytest.raises(Unreadable, match="gzip once, not twice"):
        list(compression.plain_text([twice], "sms/a.jsonl.gz", gzipped=True))
    once = stdlib_gzip.compress(text)
    assert b"".join(compression.plain_text([once[:3], once[3:]], "sms/a.jsonl.gz", True)) == text
    # AND a plain object named .gz is read as it is
    assert b"".join(compression.plain_text([text], "sms/a.jsonl.gz", gzipped=False)) == text
