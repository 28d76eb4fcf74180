"""The privacy register: per identifier hash, what processing must honour for a person
(restriction, marketing suppression, the opt-outs of sale/sharing, targeted advertising and
profiling, the limit on sensitive information) and how many copies of their data they were
given. Any of the person's identifiers finds the entry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rightsflow.domain.canonical import Identifier, email_match_form, identifier_hash
from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.integration import aws

if TYPE_CHECKING:
    from rightsflow.domain.identity import Identity

RESTRICTED = "restricted"
SUPPRESSED = "marketing_suppressed"
PROFILING_OPT_OUT = "profiling_opt_out"
SALE_SHARING_OPT_OUT = "sale_sharing_opt_out"
SENSITIVE_PI_LIMITED = "sensitive_pi_limited"
TARGETED_ADVERTISING_OPT_OUT = "targeted_advertising_opt_out"
FLAGS = (
    RESTRICTED,
    SUPPRESSED,
    PROFILING_OPT_OUT,
    SALE_SHARING_OPT_OUT,
    SENSITIVE_PI_LIMITED,
    TARGETED_ADVERTISING_OPT_OUT,
)


class PrivacyRegistry:
    def __init__(self, table: str) -> None:
        self.table = table

    def _keys(self, identity: Identity) -> list[dict[str, Any]]:
        return [{"subject": {"S": f"{kind}#{digest}"}} for kind, digest in identity.hashes()]

    def set_flag(self, identity: Identity, flag: str, value: bool) -> None:
        self.set_flag_on(identity.hashes(), flag, value)

    def set_flag_on(self, hashes: list[tuple[Identifier, str]], flag: str, value: bool) -> None:
        """Set `flag` under each identifier hash given (an opt-out honoured for exactly the
        identifiers a request gave, whoever they belong to)."""
        keys = [{"subject": {"S": f"{kind}#{digest}"}} for kind, digest in hashes]
        try:
            for key in keys:
                aws.dynamodb().update_item(
                    TableName=self.table,
                    Key=key,
                    UpdateExpression="SET #flag = :value, updated_at = :now",
                    ExpressionAttributeNames={"#flag": flag},
                    ExpressionAttributeValues={
                        ":value": {"BOOL": value},
                        ":now": {"S": to_iso(utc_now())},
                    },
                )
        except Exception as error:
            raise aws.as_transient(error, "updating the privacy register") from error

    def flags(self, identity: Identity) -> dict[str, bool]:
        """The person's flags; a flag set under any of their identifiers counts."""
        keys = self._keys(identity)
        merged: dict[str, bool] = {}
        try:
            for start in range(0, len(keys), 100):
                answer = aws.dynamodb().batch_get_item(
                    RequestItems={self.table: {"Keys": keys[start : start + 100]}}
                )
                for item in answer["Responses"].get(self.table, []):
                    for name in FLAGS:
                        if item.get(name, {}).get("BOOL"):
                            merged[name] = True
        except Exception as error:
            raise aws.as_transient(error, "reading the privacy register") from error
        return merged

    def is_restricted(self, identity: Identity) -> bool:
        """What every processing job asks before using a person's data (GDPR Art. 18)."""
        return self.flags(identity).get(RESTRICTED, False)

    def remember_held(self, email: str, identifier: str, values: set[str]) -> None:
        """Records kept under a legal hold stay findable from the person's e-mail after the
        records that linked them (a profile, say) were erased: a later access request must
        still show them."""
        key = {"subject": {"S": f"email#{identifier_hash(email_match_form(email))}"}}
        try:
            aws.dynamodb().update_item(
                TableName=self.table,
                Key=key,
                UpdateExpression="ADD #held :values",
                ExpressionAttributeNames={"#held": f"held_{identifier}"},
                ExpressionAttributeValues={":values": {"SS": sorted(values)}},
            )
        except Exception as error:
            raise aws.as_transient(error, "recording held identifiers") from error

    def held_identifiers(self, email: str) -> dict[str, set[str]]:
        key = {"subject": {"S": f"email#{identifier_hash(email_match_form(email))}"}}
        try:
            item = aws.dynamodb().get_item(TableName=self.table, Key=key).get("Item", {})
        except Exception as error:
            raise aws.as_transient(error, "reading held identifiers") from error
        return {
            name.removeprefix("held_"): set(value["SS"])
            for name, value in item.items()
            if name.startswith("held_")
        }

    def packages_of(self, email: str) -> set[str]:
        """Where the copies of the person's data given out are kept (fulfilment bucket keys)."""
        key = {"subject": {"S": f"email#{identifier_hash(email_match_form(email))}"}}
        try:
            item = aws.dynamodb().get_item(TableName=self.table, Key=key).get("Item", {})
        except Exception as error:
            raise aws.as_transient(error, "reading the person's packages") from error
        return set(item.get("packages", {}).get("SS", []))

    def forget_packages(self, email: str, keys: set[str]) -> None:
        key = {"subject": {"S": f"email#{identifier_hash(email_match_form(email))}"}}
        try:
            aws.dynamodb().update_item(
                TableName=self.table,
                Key=key,
                UpdateExpression="DELETE packages :keys",
                ExpressionAttributeValues={":keys": {"SS": sorted(keys)}},
            )
        except Exception as error:
            raise aws.as_transient(error, "forgetting the person's packages") from error

    def remember_former(self, email: str, identifier: str, values: set[str]) -> None:
        """Values of the person's that a rectification replaced (a phone number they
        corrected): the records written under the old value (SMS lines sent to the old number)
        are still theirs, and later requests must still find them. Recorded before the change
        is made, so no retry can lose them."""
        key = {"subject": {"S": f"email#{identifier_hash(email_match_form(email))}"}}
        try:
            aws.dynamodb().update_item(
                TableName=self.table,
                Key=key,
                UpdateExpression="ADD #former :values",
                ExpressionAttributeNames={"#former": f"former_{identifier}"},
                ExpressionAttributeValues={":values": {"SS": sorted(values)}},
            )
        except Exception as error:
            raise aws.as_transient(error, "recording former identifiers") from error

    def linked_identifiers(self, email: str) -> dict[str, set[str]]:
        """The identifiers earlier requests tied to the person's e-mail, by kind (`phone`,
        `account_number`): held records' (kept under a legal hold) and former ones (corrected
        since); and, under `rows:<store>`, a SQL store's entry rows kept records hang off."""
        key = {"subject": {"S": f"email#{identifier_hash(email_match_form(email))}"}}
        try:
            item = aws.dynamodb().get_item(TableName=self.table, Key=key).get("Item", {})
        except Exception as error:
            raise aws.as_transient(error, "reading linked identifiers") from error
        linked: dict[str, set[str]] = {}
        kinds = {identifier.value for identifier in Identifier}
        for name, value in item.items():
            if name.startswith("held_"):  # identifiers, and a SQL store's rows ("rows:<store>")
                linked.setdefault(name.removeprefix("held_"), set()).update(value["SS"])
            elif name.startswith("former_") and name.removeprefix("former_") in kinds:
                linked.setdefault(name.removeprefix("former_"), set()).update(value["SS"])
        return linked

    def count_copy(self, identity: Identity, package_key: str | None = None) -> int:
        """One more copy of the person's data given out (kept at `package_key` in the
        fulfilment bucket, which an erasure deletes); returns how many so far."""
        key = {"subject": {"S": f"email#{identity.hashes()[0][1]}"}}
        expression = "ADD access_copies :one" + (", packages :package" if package_key else "")
        values: dict[str, Any] = {":one": {"N": "1"}}
        if package_key:
            values[":package"] = {"SS": [package_key]}
        try:
            answer = aws.dynamodb().update_item(
                TableName=self.table,
                Key=key,
                UpdateExpression=expression,
                ExpressionAttributeValues=values,
                ReturnValues="UPDATED_NEW",
            )
        except Exception as error:
            raise aws.as_transient(error, "counting copies in the privacy register") from error
        return int(answer["Attributes"]["access_copies"]["N"])
