"""Reading and writing S3 objects of any size in bounded memory: a read streams the body in
chunks (through gzip where the object is gzip), a Parquet object is read by byte ranges, and a
rewrite goes up in parts (a multipart upload once it outgrows one part), completed only if
nobody changed the object meanwhile (IfMatch on the ETag that was read)."""

from __future__ import annotations

import bisect
import contextlib
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Final, cast

from botocore.exceptions import ClientError

from rightsflow.domain.errors import StoreUnavailable
from rightsflow.integration import aws
from rightsflow.integration.stores.formats.compression import is_gzip, plain_text

if TYPE_CHECKING:
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

CHUNK: Final = 1 << 20  # bytes read from a body at a time
PART: Final = 8 << 20  # bytes of a multipart upload's part (S3's least is 5 MiB)
READ_AHEAD: Final = 1 << 20  # bytes a ranged read fetches at once (at least)

# What a rewrite keeps of the object it replaces, besides its other records.
KEPT_HEADERS: Final = (
    "ContentType",
    "ContentEncoding",
    "ContentLanguage",
    "ContentDisposition",
    "CacheControl",
    "Metadata",
)
CHANGED_MEANWHILE: Final = frozenset({"PreconditionFailed", "ConditionalRequestConflict"})
GONE: Final = frozenset({"NoSuchKey", "NoSuchVersion", "404", "NotFound"})


class ObjectChanged(StoreUnavailable):
    """The object changed between reading it and writing it back: read it again (transient,
    so the state machine retries the step)."""


@dataclass
class S3Object:
    """One version of an object, open for reading once, front to back."""

    bucket: str
    key: str
    etag: str
    version_id: str | None
    size: int
    headers: dict[str, Any]
    gzip: bool
    _chunks: Iterator[bytes] = field(repr=False)

    def raw_chunks(self) -> Iterator[bytes]:
        """The bytes as stored (compressed, if the object is)."""
        return self._chunks

    def plain_chunks(self) -> Iterator[bytes]:
        """The bytes of the records: through gzip where the object is gzip. Raises Unreadable
        (as it is read) where the object is compressed another way, or twice."""
        return plain_text(self._chunks, self.key, self.gzip)


def _kept_headers(answer: dict[str, Any]) -> dict[str, Any]:
    headers = {name: answer[name] for name in KEPT_HEADERS if answer.get(name)}
    if answer.get("SSEKMSKeyId"):
        headers |= {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": answer["SSEKMSKeyId"]}
        if answer.get("BucketKeyEnabled"):
            headers["BucketKeyEnabled"] = True
    return headers


def open_object(bucket: str, key: str, version: str | None = None) -> S3Object | None:
    """The object (or one version of it), or None if it is gone."""
    arguments: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if version is not None:
        arguments["VersionId"] = version
    try:
        answer: dict[str, Any] = dict(aws.s3().get_object(**arguments))
        body = answer["Body"]
        first = body.read(CHUNK)
    except ClientError as error:
        if aws.error_code(error) in GONE:
            return None
        raise aws.as_transient(error, f"reading {bucket}/{key}") from error
    except Exception as error:
        raise aws.as_transient(error, f"reading {bucket}/{key}") from error

    def chunks() -> Iterator[bytes]:
        if first:
            yield first
        try:
            while chunk := body.read(CHUNK):
                yield chunk
        except Exception as error:
            raise aws.as_transient(error, f"reading {bucket}/{key}") from error
        finally:
            body.close()

    return S3Object(
        bucket=bucket,
        key=key,
        etag=str(answer["ETag"]),
        version_id=answer.get("VersionId"),
        size=int(answer.get("ContentLength") or 0),
        headers=_kept_headers(answer),
        gzip=is_gzip(first),
        _chunks=chunks(),
    )


def head_object(bucket: str, key: str, version: str | None = None) -> dict[str, Any] | None:
    """The current version's (or `version`'s) ETag, VersionId, size and headers, or None if
    there is none."""
    arguments: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if version is not None:
        arguments["VersionId"] = version
    try:
        answer = dict(aws.s3().head_object(**arguments))
    except ClientError as error:
        if aws.error_code(error) in GONE:
            return None
        raise aws.as_transient(error, f"reading {bucket}/{key}") from error
    except Exception as error:
        raise aws.as_transient(error, f"reading {bucket}/{key}") from error
    return answer


class RangedFile(io.RawIOBase):
    """One version of an object as a seekable file, read by byte ranges (what Parquet's footer
    and row groups need), never more than READ_AHEAD bytes at a time in memory."""

    def __init__(self, bucket: str, key: str, etag: str, version_id: str | None, size: int) -> None:
        super().__init__()
        self.bucket, self.key, self.etag = bucket, key, etag
        self.version_id = version_id
        self.size = size
        self.position = 0
        self._buffer = b""
        self._buffer_start = 0

    @classmethod
    def open(cls, bucket: str, key: str, version: str | None = None) -> RangedFile | None:
        """The object's current version (or `version`), or None if it is gone."""
        head = head_object(bucket, key, version)
        if head is None:
            return None
        return cls(
            bucket, key, str(head["ETag"]), head.get("VersionId"), int(head["ContentLength"])
        )

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, target: Any) -> int:
        wanted = min(len(target), self.size - self.position)
        if wanted <= 0:
            return 0
        end = self.position + wanted
        buffered_end = self._buffer_start + len(self._buffer)
        if not (self._buffer_start <= self.position and end <= buffered_end):
            self._fetch(self.position, max(wanted, READ_AHEAD))
        start = self.position - self._buffer_start
        target[:wanted] = self._buffer[start : start + wanted]
        self.position = end
        return wanted

    def headers(self) -> dict[str, Any]:
        """What a rewrite of this object keeps (content type, metadata, KMS key)."""
        head = head_object(self.bucket, self.key, self.version_id) or {}
        return _kept_headers(head)

    def _fetch(self, start: int, length: int) -> None:
        last = min(self.size, start + length) - 1
        arguments: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": self.key,
            "Range": f"bytes={start}-{last}",
        }
        if self.version_id:
            arguments["VersionId"] = self.version_id
        else:
            arguments["IfMatch"] = self.etag
        try:
            self._buffer = aws.s3().get_object(**arguments)["Body"].read()
        except ClientError as error:
            if aws.error_code(error) in CHANGED_MEANWHILE:
                raise ObjectChanged(f"{self.key} changed while being read") from error
            raise aws.as_transient(error, f"reading {self.bucket}/{self.key}") from error
        self._buffer_start = start


class _Part(io.RawIOBase):
    """A part of a multipart upload as a readable, seekable stream over the pieces written,
    so that the part is never joined into (nor copied as) one buffer."""

    def __init__(self, pieces: list[bytes]) -> None:
        super().__init__()
        self._pieces = pieces
        self._starts = list(itertools.accumulate((len(piece) for piece in pieces), initial=0))
        self.size = self._starts[-1]
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = min(max(0, base + offset), self.size)
        return self.position

    def readinto(self, target: Any) -> int:
        view = memoryview(target).cast("B")
        copied = 0
        while copied < len(view) and self.position < self.size:
            index = bisect.bisect_right(self._starts, self.position) - 1
            piece = self._pieces[index]
            start = self.position - self._starts[index]
            taken = min(len(piece) - start, len(view) - copied)
            view[copied : copied + taken] = piece[start : start + taken]
            copied += taken
            self.position += taken
        return copied


class ObjectWriter(io.RawIOBase):
    """A rewrite of an object, written front to back: one PutObject if it stays within a part,
    else a multipart upload. `finish()` makes it the current version only if the object is
    still the version `if_match` names (ObjectChanged otherwise, and nothing is written).
    Holds at most a part (and the piece being written) in memory."""

    def __init__(self, bucket: str, key: str, if_match: str, headers: dict[str, Any]) -> None:
        super().__init__()
        self.bucket, self.key, self.if_match, self.headers = bucket, key, if_match, headers
        self._pieces: list[bytes] = []
        self._pending = 0  # bytes in _pieces
        self._upload: str | None = None
        self._parts: list[CompletedPartTypeDef] = []
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        piece = bytes(data)  # the caller may reuse its buffer (pyarrow does)
        self._pieces.append(piece)
        self._pending += len(piece)
        self.written += len(piece)
        if self._pending >= PART:
            # A part is at least PART bytes (all but the last may be any size from 5 MiB).
            self._send_part(_Part(self._pieces))
            self._pieces, self._pending = [], 0
        return len(piece)

    def write_all(self, chunks: Iterable[bytes]) -> None:
        """Write a stream of (small) pieces, gathered into writes of about a chunk each."""
        gathered: list[bytes] = []
        size = 0
        for chunk in chunks:
            gathered.append(chunk)
            size += len(chunk)
            if size >= CHUNK:
                self.write(b"".join(gathered))
                gathered, size = [], 0
        if gathered:
            self.write(b"".join(gathered))

    def _send_part(self, body: _Part) -> None:
        client = aws.s3()
        try:
            if self._upload is None:
                self._upload = client.create_multipart_upload(
                    Bucket=self.bucket, Key=self.key, **self.headers
                )["UploadId"]
            number = len(self._parts) + 1
            answer = client.upload_part(
                Bucket=self.bucket,
                Key=self.key,
                UploadId=self._upload,
                PartNumber=number,
                Body=cast("IO[bytes]", body),  # a readable, seekable stream, as boto3 takes
            )
        except Exception as error:
            self.abort()
            raise aws.as_transient(error, f"rewriting {self.bucket}/{self.key}") from error
        self._parts.append({"PartNumber": number, "ETag": answer["ETag"]})

    def finish(self) -> dict[str, Any]:
        """Complete the rewrite; returns S3's answer (the new ETag and VersionId)."""
        client = aws.s3()
        try:
            if self._upload is None:
                return dict(
                    client.put_object(
                        Bucket=self.bucket,
                        Key=self.key,
                        Body=b"".join(self._pieces),
                        IfMatch=self.if_match,
                        **self.headers,
                    )
                )
            if self._pending:
                self._send_part(_Part(self._pieces))
                self._pieces, self._pending = [], 0
            return dict(
                client.complete_multipart_upload(
                    Bucket=self.bucket,
                    Key=self.key,
                    UploadId=self._upload,
                    MultipartUpload={"Parts": self._parts},
                    IfMatch=self.if_match,
                )
            )
        except ClientError as error:
            self.abort()
            if aws.error_code(error) in CHANGED_MEANWHILE:
                raise ObjectChanged(f"{self.key} changed while being rewritten") from error
            raise aws.as_transient(error, f"rewriting {self.bucket}/{self.key}") from error
        except Exception as error:
            self.abort()
            raise aws.as_transient(error, f"rewriting {self.bucket}/{self.key}") from error

    def abort(self) -> None:
        """Drop an unfinished multipart upload (the buckets' lifecycle rule would, after a day)."""
        if self._upload is not None:
            upload, self._upload = self._upload, None
            # If this fails too, the buckets' lifecycle rule aborts it after a day.
            with contextlib.suppress(Exception):
                aws.s3().abort_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=upload)
