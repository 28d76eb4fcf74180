"""Brand API keys: stored only as SHA-256 hashes, each naming the one Brand it speaks for."""

from __future__ import annotations

import secrets

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.identifiers import hash_secret
from rightsflow.integration import aws

KEY_PREFIX = "rfk_"


class BrandKeys:
    def __init__(self, table: str) -> None:
        self.table = table

    def issue(self, brand: str) -> str:
        """A new key for `brand`; the key itself is returned once and never stored."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        aws.dynamodb().put_item(
            TableName=self.table,
            Item={
                "key_hash": {"S": hash_secret(key)},
                "brand": {"S": brand},
                "issued_at": {"S": to_iso(utc_now())},
            },
        )
        return key

    def brand_for(self, key: str) -> str | None:
        if not key.startswith(KEY_PREFIX):
            return None
        try:
            item = (
                aws.dynamodb()
                .get_item(TableName=self.table, Key={"key_hash": {"S": hash_secret(key)}})
                .get("Item")
            )
        except Exception as error:
            raise aws.as_transient(error, "checking a Brand API key") from error
        if item is None or item.get("revoked", {}).get("BOOL"):
            return None
        return str(item["brand"]["S"])
