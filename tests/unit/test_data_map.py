"""The data map file: checked on load, with errors that name the key and the reason."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from rightsflow.domain.data_map import DataMapError, load_data_map, parse_data_map
from rightsflow.local.template import load_template
from tests.conftest import TEMPLATE

GOOD = """
stores:
  crm:
    description: leads
    kind: dynamodb
    resource: CrmTable
    key: [email]
    role: controller
    categories: [name]
    purposes: [sales]
    legal_basis: consent
    retention: 2 years
    source: the person
    lookup:
      email: {attribute: email, index: ByEmail}
    erasure: {action: delete}
    backup: {kind: point-in-time recovery, window_days: 35}
"""


def test_a_good_map_loads() -> None:
    data_map = parse_data_map(GOOD)
    assert data_map.stores["crm"].resource == "CrmTable"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["stores"]["crm"].pop("legal_basis"), "stores.crm.legal_basis"),
        (lambda d: d["stores"]["crm"].update(kind="ftp"), "stores.crm.kind"),
        (lambda d: d["stores"]["crm"].update(role="processor"), "names the brand"),
        (
            lambda d: d["stores"]["crm"].update(lookup={"phone": {"attribute": "phone"}}),
            "no way to find a person from their e-mail",
        ),
        (lambda d: d["stores"]["crm"].update(erasure={"action": "anonymise"}), "fields to blank"),
        (lambda d: d["stores"]["crm"].update(recipients=["adtech"]), "adtech is not declared"),
        (lambda d: d["stores"]["crm"].update(colour="blue"), "stores.crm.colour"),
        (lambda d: d["stores"]["crm"].pop("backup"), "stores.crm.backup"),
        (
            lambda d: d["stores"]["crm"]["lookup"]["email"].update(stored="typed"),
            "stores.crm.lookup.email.stored",
        ),
        (
            lambda d: d["stores"]["crm"]["lookup"]["email"].update(stored="as_written"),
            "never by querying the value as typed",
        ),
        (
            lambda d: d["stores"]["crm"]["lookup"].update(
                email={"attribute": "email", "stored": "as_written"}
            ),
            "needs the top-level identifier_index",
        ),
        (
            lambda d: d["stores"]["crm"].update(
                erasure={"action": "anonymise", "fields": ["name"]}
            ),
            "must blank what finds the person",
        ),
        (
            lambda d: d["stores"]["crm"]["lookup"]["email"].update(region="GB"),
            "only phone lookups have a region",
        ),
        (lambda d: d.update(identifiers={"account_number": {"case": "title"}}), "case"),
        (lambda d: d["stores"]["crm"].update(encoding="latin-1"), "only an S3 store"),
        (lambda d: _as_csv(d, encoding="klingon"), "stores.crm.encoding: .*not an encoding"),
        (lambda d: _as_csv(d, encoding="utf-16"), "stores.crm.encoding: .*ASCII as ASCII"),
        (lambda d: _as_csv(d, delimiter='"'), "stores.crm.delimiter"),
        (lambda d: _as_csv(d, delimiter=";;"), "stores.crm.delimiter"),
        (lambda d: d["stores"]["crm"].update(kind="s3_jsonl"), "needs the top-level object_index"),
    ],
)
def test_a_bad_map_fails_naming_the_key_and_the_reason(change: object, named: str) -> None:
    document = yaml.safe_load(GOOD)
    change(document)  # type: ignore[operator]
    with pytest.raises(DataMapError, match=named.replace(".", r"\.").replace(r"\.*", ".*")):
        parse_data_map(yaml.safe_dump(document))


def test_an_as_written_lookup_with_the_identifier_index_loads() -> None:
    document = yaml.safe_load(GOOD)
    document["identifier_index"] = "IdentifierIndexTable"
    document["stores"]["crm"]["lookup"] = {"email": {"attribute": "email", "stored": "as_written"}}
    document["object_index"] = "ObjectIndexTable"
    data_map = parse_data_map(yaml.safe_dump(document))
    assert list(data_map.indexed_stores()) == ["crm"]
    assert "IdentifierIndexTable" in data_map.resources()


def test_every_store_of_the_shipped_map_states_its_backup_window() -> None:
    for name, store in load_data_map().stores.items():
        assert store.backup.kind, name
        if store.kind == "dynamodb":
            assert store.backup.window_days == 35, name  # DynamoDB point-in-time recovery


def test_every_store_of_the_shipped_map_states_whether_it_is_authoritative_for_linking() -> None:
    stores = load_data_map().stores
    for name, store in stores.items():
        assert "authoritative_for_linking" in store.model_fields_set, name
    linking = {name for name, store in stores.items() if store.authoritative_for_linking}
    # Records whose writer tied the identifiers to the person link; forms anyone fills never do
    assert linking == {"acme_profiles", "globex_profiles", "platform_users"}
    for self_asserted in ("site_leads", "job_applicants", "hubspot_marketing"):
        assert self_asserted not in linking


def test_a_store_that_states_nothing_links_nobody() -> None:
    assert parse_data_map(GOOD).stores["crm"].authoritative_for_linking is False


def test_identifiers_from_a_store_not_authoritative_for_linking_reach_no_other_store() -> None:
    # GIVEN a store keyed only by phone, and a form that holds phones but is not authoritative
    document = yaml.safe_load(GOOD)
    document["stores"]["crm"]["second_identifiers"] = {"phone": "phone"}
    sms = {
        **document["stores"]["crm"],
        "resource": "SmsTable",
        "key": ["phone"],
        "lookup": {"phone": {"attribute": "phone"}},
    }
    sms.pop("second_identifiers")
    document["stores"]["sms"] = sms
    # THEN the map is refused: nobody could ever be found in the phone-keyed store
    with pytest.raises(DataMapError, match="authoritative for linking"):
        parse_data_map(yaml.safe_dump(document))
    # AND once the form is declared authoritative, the phone-keyed store is reachable
    document["stores"]["crm"]["authoritative_for_linking"] = True
    assert "sms" in parse_data_map(yaml.safe_dump(document)).stores


def test_a_store_declares_the_region_of_its_national_phone_numbers() -> None:
    from rightsflow.domain.canonical import Identifier

    document = yaml.safe_load(GOOD)
    document["stores"]["crm"]["phone_region"] = "GB"
    store = parse_data_map(yaml.safe_dump(document)).stores["crm"]
    assert store.region_for(Identifier.PHONE) == "GB"
    assert store.region_for(Identifier.EMAIL) is None
    document["stores"]["crm"]["phone_region"] = "gb"
    with pytest.raises(DataMapError, match=r"stores\.crm\.phone_region"):
        parse_data_map(yaml.safe_dump(document))
    document["stores"]["crm"]["phone_region"] = "DE"
    document["stores"]["crm"]["lookup"]["phone"] = {"attribute": "phone", "region": "GB"}
    with pytest.raises(DataMapError, match="one store, one region"):
        parse_data_map(yaml.safe_dump(document))


def _as_csv(document: dict[str, Any], **settings: str) -> None:
    document["object_index"] = "IndexTable"
    document["stores"]["crm"].update(kind="s3_csv", **settings)


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "windows-1252", "cp1252", "iso-8859-15"])
def test_an_s3_store_declares_its_encoding_and_utf_8_is_the_default(encoding: str) -> None:
    document = yaml.safe_load(GOOD)
    _as_csv(document)
    assert parse_data_map(yaml.safe_dump(document)).stores["crm"].encoding == "utf-8"
    _as_csv(document, encoding=encoding, delimiter=";")
    store = parse_data_map(yaml.safe_dump(document)).stores["crm"]
    assert (store.encoding, store.delimiter) == (encoding, ";")


def test_not_yaml_at_all_is_said_so() -> None:
    with pytest.raises(DataMapError, match="not valid YAML"):
        parse_data_map("stores: [unclosed")


def test_every_store_in_the_shipped_map_exists_in_the_template_and_reaches_the_functions() -> None:
    data_map = load_data_map()
    template = load_template(TEMPLATE)
    declared = {**template.sam["Resources"], **template.sam["Parameters"]}
    for name, store in data_map.stores.items():
        assert store.resource in declared, f"{name}: {store.resource} is not in template.yaml"
    wired = template.sam["Globals"]["Function"]["Environment"]["Variables"]["DATA_STORES"][
        "Fn::Sub"
    ]
    for resource in data_map.resources():
        assert f'"{resource}": "${{{resource}}}"' in wired


SQL = """
stores:
  platform:
    description: accounts
    kind: sql
    resource: Db
    role: controller
    categories: [name]
    purposes: [service]
    legal_basis: contract
    retention: 1 year
    source: the person
    lookup:
      email: {attribute: email}
    erasure: {action: delete}
    backup: {kind: automated backups, window_days: 7}
    sql:
      table: users
      related:
        sessions: {parent: users, foreign_key: [user_id], erasure: {action: delete}}
        events: {parent: sessions, foreign_key: [session_id], erasure: {action: delete}}
"""


def test_a_sql_store_names_its_tables_parents_first() -> None:
    store = parse_data_map(SQL).stores["platform"]
    assert store.tables() == ["users", "sessions", "events"]
    assert store.rules_for("users") is store
    assert store.rules_for("events").erasure.action == "delete"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda s: s.pop("sql"), "names its tables under `sql`"),
        (
            lambda s: s["sql"]["related"]["events"].update(parent="nowhere"),
            "stores.platform.sql: Value error, related.events.parent: nowhere is neither",
        ),
        (
            lambda s: s["sql"]["related"].update(users={"parent": "users", "foreign_key": ["x"]}),
            "stores.platform.sql.related.users",
        ),
        (lambda s: s["sql"]["related"]["sessions"].update(foreign_key=[]), "foreign_key"),
        (
            lambda s: s["lookup"].update(phone={"attribute": "phone", "stored": "as_written"}),
            "lookup.phone: a SQL store is queried in its database",
        ),
    ],
)
def test_a_bad_sql_store_fails_naming_the_key(change: object, named: str) -> None:
    document = yaml.safe_load(SQL)
    change(document["stores"]["platform"])  # type: ignore[operator]
    with pytest.raises(DataMapError, match=re.escape(named)):
        parse_data_map(yaml.safe_dump(document, sort_keys=False))


def test_a_sql_stores_e_mail_may_be_kept_as_written_and_is_not_our_indexs_to_cover() -> None:
    # GIVEN a SQL store whose e-mail column holds addresses as people typed them
    document = yaml.safe_load(SQL)
    document["stores"]["platform"]["lookup"]["email"]["stored"] = "as_written"
    # WHEN the map is loaded
    data_map = parse_data_map(yaml.safe_dump(document, sort_keys=False))
    # THEN it is accepted, and found through the database's own index, not our stream-fed one
    assert "email" in data_map.stores["platform"].as_written()
    assert data_map.indexed_stores() == {}


@pytest.mark.parametrize(
    "relative",
    [
        "_SUCCESS",
        "year=2025/",
        "year=2025_$folder$",
        ".part-0.parquet.crc",
        "year=2025/part-0.parquet.crc",
        "_temporary/0/part-0.parquet",
        "year=2025/_metadata",
        "",
    ],
)
def test_a_parquet_stores_lake_bookkeeping_belongs_to_no_store(relative: str) -> None:
    # GIVEN the shipped map with a Parquet store under archive/
    document = yaml.safe_load(GOOD)
    document["stores"]["lake"] = {
        **document["stores"]["crm"],
        "kind": "s3_parquet",
        "resource": "LakeBucket",
        "key": ["object_key", "record"],
        "prefix": "archive/",
    }
    document["object_index"] = "ObjectIndexTable"
    data_map = parse_data_map(yaml.safe_dump(document))
    # WHEN Spark's or Hive's bookkeeping object is placed, THEN it is no store's (neither
    # indexed nor unreadable), while a data file beside it is the store's
    assert data_map.store_of_object("LakeBucket", "archive/" + relative) is None
    assert data_map.store_of_object("LakeBucket", "archive/year=2025/part-0.parquet") == "lake"
