"""The data map: every store that holds personal data, what it holds and why, and how a person is
found in it. Declared in YAML (rightsflow/datamap.yaml), checked here when loaded: a bad file
fails with the key and the reason. Its models build their validators when a map is first loaded
(defer_build), not in every function that imports this module."""

from __future__ import annotations

import codecs
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from rightsflow.domain.canonical import AccountNumberForm, Identifier

__all__ = ["Identifier"]  # where the data map's readers have always found it

Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,62}$")]


class DataMapError(ValueError):
    """The data map file is wrong; the message names the key and the reason."""


class StoreKind(StrEnum):
    DYNAMODB = "dynamodb"
    S3_JSONL = "s3_jsonl"
    S3_CSV = "s3_csv"
    S3_PARQUET = "s3_parquet"
    EXTERNAL = "external"
    SQL = "sql"


# S3 stores: objects of JSON lines or CSV (plain, or gzip where an object's bytes say so), or
# Parquet.
S3_TEXT_KINDS = frozenset({StoreKind.S3_JSONL, StoreKind.S3_CSV})
S3_KINDS = S3_TEXT_KINDS | {StoreKind.S3_PARQUET}


class Role(StrEnum):
    CONTROLLER = "controller"
    PROCESSOR = "processor"


class Stored(StrEnum):
    """How a store keeps an identifier's value."""

    CANONICAL = "canonical"  # in the canonical form (rightsflow.domain.canonical): queried as is
    AS_WRITTEN = "as_written"  # as whoever wrote it typed it: found through our own index


class Lookup(BaseModel):
    """How to find a person's items by one identifier: the table's hash key, a GSI, or (for S3
    stores) the object index kept when the objects are written.

    `stored` says how the store keeps the value. A DynamoDB lookup `as_written` is never queried
    by value: the product keeps a canonical identifier index of the table (fed by its stream),
    so `Grace.Hopper@Example.COM` is found by `grace.hopper@example.com`. S3 stores are always
    reached through the object index, whose keys are canonical either way; an external store is
    asked in the canonical form (its API matches that form, by contract). A SQL store is queried
    in its own database, which cannot canonicalise a phone or an account number: only its e-mail
    lookup may be `as_written`, found through the database's case-insensitive index (on
    lower(email), or a case-insensitive column) and each row then matched canonically."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    attribute: str
    index: str | None = None  # a GSI whose hash key is `attribute`; None: `attribute` is the key
    stored: Stored = Stored.CANONICAL
    # Phone lookups: the region of national numbers written without a country code (GB).
    region: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")


class Flag(BaseModel):
    """An attribute a right sets on the person's items, and the value it sets."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    attribute: str
    value: bool | str


class ErasureAction(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"  # the law requires keeping it; reported with the reason


class LegalHold(BaseModel):
    """Records matching `when` are kept on erasure, because `law` requires it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    when: dict[str, str]  # attribute -> value that marks a held record
    law: str
    until: str


class Erasure(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    action: ErasureAction
    fields: list[str] = Field(default_factory=list)  # for anonymise: the fields blanked
    legal_hold: LegalHold | None = None
    reason: str | None = None  # for keep: why

    @model_validator(mode="after")
    def _consistent(self) -> Erasure:
        if self.action is ErasureAction.ANONYMISE and not self.fields:
            raise ValueError("anonymise needs the fields to blank")
        if self.action is ErasureAction.KEEP and not self.reason:
            raise ValueError("keep needs the reason (the law that requires keeping)")
        return self


class RelatedTable(BaseModel):
    """A table of a SQL store reached from a person's rows by a foreign key: `foreign_key` are
    this table's columns that refer to `parent` (the entry table or another related table), as a
    foreign-key constraint of the live schema declares. Each table has its own erasure rule,
    rectifiable columns and flags (columns of this table)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    parent: str
    foreign_key: list[str] = Field(min_length=1)
    erasure: Erasure
    rectifiable: list[str] = Field(default_factory=list)
    consent: Flag | None = None
    profiling: Flag | None = None
    restriction: Flag | None = None


class SqlSource(BaseModel):
    """Where a SQL store's person starts: the entry table (its lookup columns are the store's
    `lookup` attributes) and the tables reached from it by foreign key, parents first. The
    store's own erasure, rectifiable and flag settings are the entry table's."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    table: str
    related: dict[str, RelatedTable] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _a_tree_from_the_entry_table(self) -> SqlSource:
        reached = {self.table}
        for name, related in self.related.items():
            if name == self.table:
                raise ValueError(f"related.{name}: the entry table cannot be related to itself")
            if related.parent not in reached:
                raise ValueError(
                    f"related.{name}.parent: {related.parent} is neither the entry table nor a "
                    "related table declared before it"
                )
            reached.add(name)
        return self


class Backup(BaseModel):
    """Copies a store keeps beyond its live data: erased data lives on in them until they age
    out. The closing notice of an erasure or rectification says when."""

    model_config = ConfigDict(extra="forbid")

    kind: str  # in plain words: "point-in-time recovery (DynamoDB)"
    window_days: int = Field(ge=0)  # how long a copy lives; 0: the store keeps no copies
    # Erasure deletes the copies that hold the person along with the data (S3: the noncurrent
    # versions of the objects), so only other changes leave copies to age out.
    erasure_removes: bool = False


class Store(BaseModel):
    """One place personal data lives."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    description: str
    kind: StoreKind
    resource: str  # the template.yaml logical id of the table, bucket or endpoint parameter
    role: Role
    brand: Name | None = None
    # DynamoDB: the attributes of the item key (to change one item). S3: object key and record
    # ordinal, as the object index files them.
    key: list[str] = Field(default_factory=list)
    # external: the template parameter holding the endpoint URL (`resource` names the secret).
    categories: list[str] = Field(min_length=1)
    purposes: list[str] = Field(min_length=1)
    legal_basis: str
    retention: str
    source: str
    recipients: list[Name] = Field(default_factory=list)
    lookup: dict[Identifier, Lookup] = Field(min_length=1)
    # Identifiers this store holds about a person (attribute by identifier), which a request
    # must match (assurance) and, where the store is authoritative for linking, which lead to
    # the person's records in the stores keyed by them.
    second_identifiers: dict[Identifier, str] = Field(default_factory=dict)
    # Whether the identifiers in this store's records may link the person to other stores:
    # true only where whoever writes a record has tied its identifiers to the person (a
    # Brand's customer profile, our own platform account); false, the default, where anyone
    # can write any value (web forms, leads, job applications). A phone a stranger typed into
    # a form must never lead to someone else's data.
    authoritative_for_linking: bool = False
    # The region of national phone numbers (written without a country code) this store holds
    # outside a phone lookup of its own (which declares `region` itself). Without one, such a
    # number is compared with nothing: never read in the region a requester picks.
    phone_region: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    erasure: Erasure
    rectifiable: list[str] = Field(default_factory=list)
    portable: bool = False  # provided by the person, processed under consent or contract
    consent: Flag | None = None  # withdraw_consent / objection to marketing set this
    profiling: Flag | None = None  # automated_decision sets this
    restriction: Flag | None = None  # restriction sets this (lift_restriction unsets it)
    # sql: the entry table and the related tables; `resource` names the connection (a template
    # parameter holding a Secrets Manager secret's ARN, the way RDS stores credentials).
    sql: SqlSource | None = None
    backup: Backup
    # S3 stores: how the objects' text is encoded (a Python codec name; ASCII-compatible, since
    # records are split on bytes) and, for CSV, the field delimiter.
    encoding: str = "utf-8"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    # S3 stores: where in the bucket the store's objects are (every object under it is the
    # store's, and the bucket's notifications for it index them); "" is the whole bucket.
    prefix: str = Field(default="", pattern=r"^([^/].*/)?$")

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            name = codecs.lookup(value).name
        except LookupError:
            raise ValueError(f"{value!r} is not an encoding Python knows") from None
        sample = '\n\r\t ,;|"{}[]:0aZ'
        try:
            ascii_compatible = sample.encode(name) == sample.encode("ascii")
        except UnicodeError:
            ascii_compatible = False
        if not ascii_compatible:
            raise ValueError(
                f"{value!r} does not write ASCII as ASCII (records are split on bytes); "
                "use UTF-8, Windows-1252, ISO-8859-x or the like"
            )
        return value

    @field_validator("delimiter")
    @classmethod
    def _plain_delimiter(cls, value: str) -> str:
        if value in {'"', "\r", "\n"} or not value.isascii():
            raise ValueError("a delimiter is one ASCII character other than a quote or newline")
        return value

    @model_validator(mode="after")
    def _role_and_brand(self) -> Store:
        if self.role is Role.PROCESSOR and self.brand is None:
            raise ValueError("a processor store names the brand it processes for")
        if self.role is Role.CONTROLLER and self.brand is not None:
            raise ValueError("a controller store has no brand")
        if self.kind is StoreKind.DYNAMODB and not self.key:
            raise ValueError("a dynamodb store names its key attributes")
        if (self.kind is StoreKind.SQL) != (self.sql is not None):
            raise ValueError("a sql store (and only a sql store) names its tables under `sql`")
        if "encoding" in self.model_fields_set and self.kind not in S3_TEXT_KINDS:
            raise ValueError("only an S3 store of text objects declares an encoding")
        if "prefix" in self.model_fields_set and self.kind not in S3_KINDS:
            raise ValueError("only an S3 store declares a prefix")
        if "delimiter" in self.model_fields_set and self.kind is not StoreKind.S3_CSV:
            raise ValueError("only an s3_csv store declares a delimiter")
        return self

    @model_validator(mode="after")
    def _lookups(self) -> Store:
        for identifier, lookup in self.lookup.items():
            if lookup.stored is Stored.AS_WRITTEN and self.kind is StoreKind.EXTERNAL:
                raise ValueError(
                    f"lookup.{identifier}: an external store is asked in the canonical form; "
                    "we cannot index what we cannot read"
                )
            if lookup.stored is Stored.AS_WRITTEN and lookup.index:
                raise ValueError(
                    f"lookup.{identifier}: an as_written lookup is found through our own "
                    "identifier index, never by querying the value as typed (drop `index`)"
                )
            if (
                lookup.stored is Stored.AS_WRITTEN
                and self.kind is StoreKind.SQL
                and identifier is not Identifier.EMAIL
            ):
                raise ValueError(
                    f"lookup.{identifier}: a SQL store is queried in its database, which cannot "
                    f"read a {identifier} as written: its column must hold the canonical form"
                )
            if lookup.region and identifier is not Identifier.PHONE:
                raise ValueError(f"lookup.{identifier}.region: only phone lookups have a region")
            if (
                identifier is Identifier.PHONE
                and lookup.region
                and self.phone_region
                and lookup.region != self.phone_region
            ):
                raise ValueError(
                    "phone_region: differs from lookup.phone.region (one store, one region)"
                )
        if self.erasure.action is ErasureAction.ANONYMISE:
            findable = {lookup.attribute for lookup in self.lookup.values()}
            if not findable <= set(self.erasure.fields):
                missing = ", ".join(sorted(findable - set(self.erasure.fields)))
                raise ValueError(
                    f"erasure.fields: anonymising must blank what finds the person ({missing}), "
                    "or the record still names them"
                )
        return self

    def region_for(self, identifier: Identifier) -> str | None:
        """The region in which this store's national phone numbers are read (None: they are
        not comparable); only phones have one."""
        if identifier is not Identifier.PHONE:
            return None
        lookup = self.lookup.get(identifier)
        return (lookup.region if lookup else None) or self.phone_region

    def as_written(self) -> dict[Identifier, Lookup]:
        """The lookups whose values the store keeps as written (found through our index; a SQL
        store's through its database's case-insensitive index)."""
        return {
            i: lookup for i, lookup in self.lookup.items() if lookup.stored is Stored.AS_WRITTEN
        }

    def rules_for(self, table: str | None) -> Rules:
        """The erasure rule, rectifiable fields and flags of one table of this store (`None`,
        or a SQL store's entry table: the store's own)."""
        if table is None or self.sql is None or table == self.sql.table:
            return self
        return self.sql.related[table]

    def tables(self) -> list[str]:
        """A SQL store's tables, the entry table first then parents before children."""
        return [] if self.sql is None else [self.sql.table, *self.sql.related]


class Rules(Protocol):
    """What a right does to one table (or to a whole store that has no tables)."""

    @property
    def erasure(self) -> Erasure: ...
    @property
    def rectifiable(self) -> list[str]: ...
    @property
    def consent(self) -> Flag | None: ...
    @property
    def profiling(self) -> Flag | None: ...
    @property
    def restriction(self) -> Flag | None: ...


class Recipient(BaseModel):
    """Someone personal data is shared with, told of rectification, erasure and restriction
    (GDPR Art. 19). A webhook recipient is a Brand (`brand:<name>`) or the API of an external
    store (`store:<name>`); an e-mail recipient has an address."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    description: str
    channel: Literal["webhook", "email"]
    address: str


class Instruction(StrEnum):
    """A Brand's standing instruction for requests about its consumers' data."""

    FORWARD = "forward"  # tell the Brand and wait for its instruction
    FULFIL = "fulfil"  # act on verified requests, then report to the Brand


class Brand(BaseModel):
    """A Brand for which we process consumers' data, and how to reach it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str
    instruction: Instruction
    webhook: str | None = None  # template parameter holding the Brand's webhook URL
    email: str | None = None
    reminder_days: float = Field(default=5, gt=0)  # then a reminder; as long again, escalation

    @model_validator(mode="after")
    def _reachable(self) -> Brand:
        if not self.webhook and not self.email:
            raise ValueError("a brand needs a webhook, an e-mail address, or both")
        return self


class IdentifierForms(BaseModel):
    """How identifiers whose form is the company's own choice are compared."""

    model_config = ConfigDict(extra="forbid")

    account_number: AccountNumberForm = Field(default_factory=AccountNumberForm)


class DataMap(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    # The DynamoDB table (template logical id) that indexes S3 objects by identifier hash.
    object_index: str | None = None
    # The DynamoDB table (template logical id) of our canonical index over the DynamoDB stores
    # that keep an identifier as written (kept current by their streams).
    identifier_index: str | None = None
    identifiers: IdentifierForms = Field(default_factory=IdentifierForms)
    brands: dict[Name, Brand] = Field(default_factory=dict)
    stores: dict[Name, Store]
    recipients: dict[Name, Recipient] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> DataMap:
        for name, store in self.stores.items():
            if store.kind in S3_KINDS and not self.object_index:
                raise ValueError(f"stores.{name}: an S3 store needs the top-level object_index")
            for recipient in store.recipients:
                if recipient not in self.recipients:
                    raise ValueError(f"stores.{name}.recipients: {recipient} is not declared")
            if store.brand is not None and store.brand not in self.brands:
                raise ValueError(f"stores.{name}.brand: {store.brand} is not declared in brands")
            if (
                store.kind is StoreKind.DYNAMODB
                and store.as_written()
                and not self.identifier_index
            ):
                raise ValueError(
                    f"stores.{name}: an as_written lookup needs the top-level identifier_index"
                )
        for name, declared in self.recipients.items():
            kind, _, target = declared.address.partition(":")
            if declared.channel == "webhook" and not (
                (kind == "brand" and target in self.brands)
                or (kind == "store" and target in self.stores)
            ):
                raise ValueError(
                    f"recipients.{name}.address: a webhook recipient is brand:<declared brand> "
                    "or store:<declared store>"
                )
        reachable = {Identifier.EMAIL}
        for store in self.stores.values():
            # Identifiers found through e-mail reach further only from stores that are
            # authoritative for linking.
            if Identifier.EMAIL in store.lookup and store.authoritative_for_linking:
                reachable |= set(store.second_identifiers)
        for name, store in self.stores.items():
            if not reachable & set(store.lookup):
                raise ValueError(
                    f"stores.{name}.lookup: no way to find a person from their e-mail, "
                    "directly or through identifiers a store authoritative for linking holds"
                )
        return self

    def resources(self) -> set[str]:
        found = {store.resource for store in self.stores.values()}
        found |= {brand.webhook for brand in self.brands.values() if brand.webhook}
        return found | {name for name in (self.object_index, self.identifier_index) if name}

    def object_stores(self) -> dict[str, Store]:
        """The S3 stores, reached through the object index their buckets' notifications keep."""
        return {name: store for name, store in self.stores.items() if store.kind in S3_KINDS}

    def store_of_object(self, resource: str, object_key: str) -> str | None:
        """The S3 store an object belongs to: in the store's bucket (template logical id) and
        under its prefix (the longest prefix, if stores share a bucket). None for an object of
        no store, and for a Parquet store's bookkeeping objects (`lake_bookkeeping`)."""
        matches = [
            (len(store.prefix), name)
            for name, store in self.object_stores().items()
            if store.resource == resource and object_key.startswith(store.prefix)
        ]
        if not matches:
            return None
        name = max(matches)[1]
        store = self.stores[name]
        if store.kind is StoreKind.S3_PARQUET and lake_bookkeeping(object_key[len(store.prefix) :]):
            return None
        return name

    def indexed_stores(self) -> dict[str, Store]:
        """The DynamoDB stores our identifier index covers (an as_written lookup each)."""
        return {
            name: store
            for name, store in self.stores.items()
            if store.kind is StoreKind.DYNAMODB and store.as_written()
        }


def lake_bookkeeping(relative_key: str) -> bool:
    """Whether an object under a Parquet store's prefix is a data lake's bookkeeping, not
    data: a folder marker (a key ending in `/`, or `_$folder$` as EMR writes), or any part of
    its path starting with `_` or `.` (`_SUCCESS`, `_temporary/...`, `_metadata`,
    `.part-0.parquet.crc`), and checksum files (`.crc`). Hadoop's FileInputFormat skips such
    "hidden" paths (its hiddenFileFilter), and Spark, Hive and Athena follow it (Athena's "Table
    location in Amazon S3": https://docs.aws.amazon.com/athena/latest/ug/tables-location-format.html):
    the engines reading the lake never read them as rows, so neither does the object index."""
    if not relative_key or relative_key.endswith(("/", "$folder$", ".crc")):
        return True
    return any(part.startswith(("_", ".")) for part in relative_key.split("/"))


def _location(error: ErrorDetails) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(top)"


def parse_data_map(text: str, source: str = "datamap.yaml") -> DataMap:
    # Imported where the map is read (on first use), not by every function that imports this.
    import yaml  # noqa: PLC0415

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DataMapError(f"{source}: not valid YAML: {error}") from error
    try:
        return DataMap.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(f"{_location(e)}: {e['msg']}" for e in error.errors())
        raise DataMapError(f"{source}: {problems}") from error


def load_data_map(path: Path | None = None) -> DataMap:
    if path is not None:
        return parse_data_map(path.read_text(encoding="utf-8"), str(path))
    return _packaged_data_map()


@cache
def _packaged_data_map() -> DataMap:
    text = resources.files("rightsflow").joinpath("datamap.yaml").read_text(encoding="utf-8")
    return parse_data_map(text)
