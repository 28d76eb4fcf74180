"""The fulfilment bucket (KMS-encrypted): records found per store while a request is worked on
(deleted once its package is built), and the packages people download through presigned links
(kept PACKAGE_KEPT_DAYS, and deleted at once when the person's data is erased)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from rightsflow.integration import aws

if TYPE_CHECKING:
    from rightsflow.domain.package import StoreRecords

# How long a package is kept for the person to download, in legal days (GDPR Art. 15(3)
# gives a copy; keeping it longer than needed would breach Art. 5(1)(e)).
PACKAGE_KEPT_DAYS = 7


class ResultsBucket:
    def __init__(self, bucket: str, download_endpoint: str | None = None) -> None:
        self.bucket = bucket
        # Locally, links point at the local stack so that any HTTP client can follow them.
        self.download_endpoint = download_endpoint

    def put_records(self, request_id: str, store: str, records: StoreRecords) -> None:
        self._put(f"results/{request_id}/{store}.json", json.dumps(records, default=str).encode())

    def get_records(self, request_id: str, store: str) -> StoreRecords:
        try:
            answer = aws.s3().get_object(
                Bucket=self.bucket, Key=f"results/{request_id}/{store}.json"
            )
        except Exception as error:
            raise aws.as_transient(error, "reading fulfilment results") from error
        records: StoreRecords = json.loads(answer["Body"].read())
        return records

    def delete_results(self, request_id: str, stores: list[str]) -> None:
        """The working copies of a request's records, once its package holds them (or nothing
        needs them): deleted, not left to the bucket's 30-day expiry."""
        for store in stores:
            self.delete(f"results/{request_id}/{store}.json")

    def delete(self, key: str) -> None:
        """Delete one object (a missing one is fine: deleting is idempotent in S3)."""
        try:
            aws.s3().delete_object(Bucket=self.bucket, Key=key)
        except Exception as error:
            raise aws.as_transient(error, "deleting from the fulfilment bucket") from error

    def put_package(self, key: str, body: bytes) -> None:
        """Store the package (the bucket's lifecycle deletes it after PACKAGE_KEPT_DAYS + 1)."""
        self._put(key, body, content_type="application/zip")

    def download_link(self, key: str, seconds: int) -> str:
        """A presigned GET link to `key`, valid `seconds` (made by the caller's role session,
        so it must be made fresh, never stored or mailed)."""
        client = (
            boto3.client(
                "s3",
                endpoint_url=self.download_endpoint,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
            )
            if self.download_endpoint
            else aws.s3()
        )
        return str(
            client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": key},
                ExpiresIn=seconds,
            )
        )

    def _put(self, key: str, body: bytes, content_type: str = "application/json") -> None:
        try:
            aws.s3().put_object(
                Bucket=self.bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                ServerSideEncryption="aws:kms",
            )
        except Exception as error:
            raise aws.as_transient(error, "writing to the fulfilment bucket") from error
