"""gzip on a stream: whatever the chunking and however compressible the text, the plain bytes
come out whole and in bounded pieces."""

from __future__ import annotations

import gzip as stdlib_gzip
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
