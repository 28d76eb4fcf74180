"""What each right does in one store, decided from the data map alone."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from rightsflow.domain.data_map import Erasure, ErasureAction, load_data_map
from rightsflow.domain.fulfilment import (
    ActionKind,
    Found,
    OutcomeStatus,
    StoreOutcome,
    describe_remaining,
    erasure_plan,
    erasure_reaches,
    flag_plan,
    plan_for,
    rectification_plan,
    store_applies,
    what_remains,
)
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.package import build_package
from rightsflow.domain.summary import backup_note, fulfilment_summary
from rightsflow.service.fulfilment import failure_reason

DATA_MAP = load_data_map()


def _found(**data: object) -> Found:
    return Found(key={"id": data.get("id", "1")}, data=dict(data))


def test_erasure_keeps_records_under_legal_hold_with_the_law_as_reason() -> None:
    store = DATA_MAP.stores["acme_transactions"]
    plan = erasure_plan(store, [_found(id="1", kind="invoice"), _found(id="2", kind="purchase")])
    kinds = [action.kind for action in plan.actions]
    assert kinds == [ActionKind.KEEP, ActionKind.DELETE]
    assert "tax law" in (plan.actions[0].reason or "")


def test_erasure_anonymises_where_the_map_says_so() -> None:
    store = DATA_MAP.stores["acme_sms_log"]
    plan = erasure_plan(store, [_found(phone="+1", content="hi")])
    assert plan.actions[0].kind is ActionKind.ANONYMISE
    assert plan.actions[0].blank == ["phone", "content"]


def test_rectification_changes_allowed_fields_and_refuses_held_but_fixed_ones() -> None:
    store = DATA_MAP.stores["acme_transactions"]
    plan = rectification_plan(store, [_found(kind="purchase", amount=3)], {"kind": "refund"})
    assert plan.actions == []
    assert "kind" in plan.refused
    profiles = DATA_MAP.stores["acme_profiles"]
    plan = rectification_plan(
        profiles, [_found(name="Ada", address="old")], {"address": "new", "colour": "blue"}
    )
    assert plan.actions[0].set == {"address": "new"}
    assert "colour" not in plan.refused  # not held there: nothing to say


def test_a_correction_equal_to_what_is_stored_changes_nothing() -> None:
    profiles = DATA_MAP.stores["acme_profiles"]
    assert rectification_plan(profiles, [_found(address="same")], {"address": "same"}).actions == []


def test_flags_are_set_once_and_undone_for_lifting() -> None:
    flag = DATA_MAP.stores["acme_profiles"].restriction
    records = [_found(id="1"), _found(id="2", processing_restricted=True)]
    assert len(flag_plan(flag, records).actions) == 1
    lift = flag_plan(flag, records, undo=True)
    assert [a.set for a in lift.actions] == [{"processing_restricted": False}]


def test_stores_without_their_own_flag_say_the_register_holds_it() -> None:
    plan = plan_for(DATA_MAP.stores["acme_sms_log"], RequestType.RESTRICTION, [_found()], {})
    assert plan.actions == []
    assert "privacy register" in plan.notes[0]


def test_which_stores_a_right_reaches() -> None:
    assert not store_applies(DATA_MAP.stores["web_analytics"], RequestType.PORTABILITY)
    assert store_applies(DATA_MAP.stores["site_leads"], RequestType.WITHDRAW_CONSENT)
    assert not store_applies(DATA_MAP.stores["acme_transactions"], RequestType.WITHDRAW_CONSENT)
    assert store_applies(DATA_MAP.stores["acme_profiles"], RequestType.AUTOMATED_DECISION)


def test_the_package_holds_json_csv_and_the_art_15_details() -> None:
    records = {"acme_profiles": [{"name": "Ada", "tags": ["a", "b"]}]}
    package = build_package(DATA_MAP, RequestType.ACCESS, "req-1", records)
    archive = zipfile.ZipFile(io.BytesIO(package))
    assert set(archive.namelist()) == {
        "README.txt",
        "details.json",
        "acme_profiles.json",
        "acme_profiles.csv",
    }
    assert json.loads(archive.read("acme_profiles.json")) == records["acme_profiles"]
    assert archive.read("acme_profiles.csv").decode().splitlines() == [
        "name,tags",
        'Ada,"[""a"", ""b""]"',
    ]
    details = json.loads(archive.read("details.json"))[0]
    assert details["legal_basis"].startswith("processed on acme's instructions")
    assert build_package(DATA_MAP, RequestType.ACCESS, "req-1", records) == package


def test_the_summary_says_what_was_deleted_anonymised_and_kept_and_why() -> None:
    outcomes = [
        StoreOutcome(
            store="acme_transactions",
            status=OutcomeStatus.DONE,
            found=20,
            changed=17,
            changes={"delete": 17},
            kept=3,
            kept_reasons=["kept under legal hold: tax law"] * 3,
            at="x",
        ),
        StoreOutcome(store="platform_users", status=OutcomeStatus.DONE, at="x"),
    ]
    text = fulfilment_summary(DATA_MAP, RequestType.ERASURE, outcomes)
    assert "in 1 place" in text
    assert "17 records deleted; 3 records kept (kept under legal hold: tax law)" in text
    assert "platform" not in text.lower()


def test_nothing_found_is_said_plainly() -> None:
    outcomes = [StoreOutcome(store="site_leads", status=OutcomeStatus.DONE, at="x")]
    assert "found none about you" in fulfilment_summary(DATA_MAP, RequestType.ACCESS, outcomes)


def test_the_package_date_is_told_in_the_regimes_time_zone_not_utc() -> None:
    # GIVEN an access package kept until 23:30 UTC on 9 March, for a request counted in Berlin
    outcomes = [StoreOutcome(store="site_leads", status=OutcomeStatus.DONE, found=2, at="x")]
    text = fulfilment_summary(
        DATA_MAP,
        RequestType.ACCESS,
        outcomes,
        package_page="https://example.com/privacy?request_id=req-1",
        package_until="2026-03-09T23:30:00Z",
        time_zone="Europe/Berlin",
    )
    # THEN the person reads the date and time of their own place: already 10 March there
    assert "You can download it until March 10, 2026, 12:30\u202fAM" in text  # US English clock
    assert "https://example.com/privacy?request_id=req-1" in text


# ---------------------------------------------------------------- completed means verified
def test_after_an_erasure_only_what_is_held_with_its_reason_may_remain() -> None:
    store = DATA_MAP.stores["acme_transactions"]
    invoice, purchase = _found(id="1", kind="invoice"), _found(id="2", kind="purchase")
    plan = erasure_plan(store, [invoice, purchase])
    assert what_remains(store, RequestType.ERASURE, plan, [invoice], {}) == []
    # the store "forgot" to delete the purchase
    left = what_remains(store, RequestType.ERASURE, plan, [invoice, purchase], {})
    assert [item.key for item in left] == [{"id": "2"}]
    assert "no legal hold" in left[0].why
    # a record that appeared meanwhile is not what is held either
    newcomer = _found(id="3", kind="purchase")
    assert len(what_remains(store, RequestType.ERASURE, plan, [invoice, newcomer], {})) == 1


def test_after_a_rectification_every_allowed_correction_must_be_in_place() -> None:
    store = DATA_MAP.stores["acme_profiles"]
    details = {"corrections": {"address": "new", "kind": "refund"}}
    before = [_found(address="old")]
    plan = plan_for(store, RequestType.RECTIFICATION, before, details)
    done = what_remains(store, RequestType.RECTIFICATION, plan, [_found(address="new")], details)
    assert done == []
    left = what_remains(store, RequestType.RECTIFICATION, plan, before, details)
    assert left[0].why == "not corrected: address"


def test_after_a_restriction_every_record_carries_the_flag_and_after_lifting_none() -> None:
    store = DATA_MAP.stores["acme_profiles"]
    flagged, plain = _found(id="1", processing_restricted=True), _found(id="2")
    plan = plan_for(store, RequestType.RESTRICTION, [plain], {})
    assert what_remains(store, RequestType.RESTRICTION, plan, [flagged], {}) == []
    assert what_remains(store, RequestType.RESTRICTION, plan, [plain], {})[0].why == (
        "processing_restricted not set"
    )
    lift = plan_for(store, RequestType.LIFT_RESTRICTION, [flagged], {})
    assert what_remains(store, RequestType.LIFT_RESTRICTION, lift, [flagged], {})[0].why == (
        "processing_restricted still set"
    )


def test_what_remains_is_told_to_ops_by_store_count_and_reason_never_by_value() -> None:
    store = DATA_MAP.stores["site_leads"]
    lead = _found(id="grace.hopper@example.com", email="grace.hopper@example.com")
    plan = erasure_plan(store, [lead])
    text = describe_remaining(
        "site_leads",
        RequestType.ERASURE,
        what_remains(store, RequestType.ERASURE, plan, [lead], {}),
    )
    assert (
        text
        == "site_leads: read again after the erasure, 1 record still found after erasure, with no legal hold"
    )
    assert "grace" not in text


def _row(table: str, number: int, **data: object) -> Found:
    return Found(key={"id": number}, data={"id": number, **data}, table=table)


def test_a_sql_stores_rows_are_verified_by_their_own_tables_rules() -> None:
    # GIVEN Ada's platform rows before her erasure: her account, a session, a billing account
    # and an invoice (kept under tax law), and the plan for them
    store = DATA_MAP.stores["platform_users"]
    before = [
        _row("platform_users", 1, email="ada@example.com", name="Ada", username="a", company="c"),
        _row("sessions", 7, user_id=1),
        _row("billing_accounts", 3, user_id=1, billing_name="Ada", billing_address="x"),
        _row("invoices", 1, billing_account_id=3),  # id 1, like the account: another table
    ]
    plan = erasure_plan(store, before)
    blank = {"email": None, "name": None, "username": None, "company": None}
    account, billing = _row("platform_users", 1, **blank), _row("billing_accounts", 3, user_id=1)
    # WHEN the store, read again from her account row, holds the anonymised rows and the invoice
    # THEN that is exactly what the erasure leaves
    kept = [account, billing, before[3]]
    assert what_remains(store, RequestType.ERASURE, plan, kept, {}) == []
    # AND a session the database kept, or a billing name not blanked, is named with its table
    left = what_remains(store, RequestType.ERASURE, plan, [*kept, before[1], before[2]], {})
    assert [(item.table, item.why) for item in left] == [
        ("sessions", "still found after erasure, with no legal hold"),
        ("billing_accounts", "not anonymised: billing_address, billing_name"),
    ]
    text = describe_remaining("platform_users", RequestType.ERASURE, left)
    assert "1 record of sessions still found after erasure" in text
    assert "Ada" not in text
    # AND a restriction is checked on the table that carries the flag
    restricted = _row("platform_users", 1, processing_restricted=True)
    flags = plan_for(store, RequestType.RESTRICTION, [before[0], before[1]], {})
    assert what_remains(store, RequestType.RESTRICTION, flags, [restricted, before[1]], {}) == []


# ---------------------------------------------------------------- backups
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_the_closing_notice_says_when_backup_copies_age_out() -> None:
    outcomes = [
        StoreOutcome(store="site_leads", status=OutcomeStatus.DONE, changed=1, at="x"),
        StoreOutcome(store="hubspot_marketing", status=OutcomeStatus.DONE, changed=1, at="x"),
        StoreOutcome(store="job_applicants", status=OutcomeStatus.DONE, changed=1, at="x"),
    ]
    text = "\n".join(backup_note(DATA_MAP, RequestType.ERASURE, outcomes, NOW))
    assert "point-in-time recovery (DynamoDB): kept 35 days" in text
    assert "gone by January 3, 2027" in text  # 29 November 2026 + 35 days
    assert "gone by December 29, 2026" in text  # the vendor's 30 days
    assert "S3 versioning" not in text  # erasure deleted the versions holding the person
    corrected = "\n".join(backup_note(DATA_MAP, RequestType.RECTIFICATION, outcomes, NOW))
    assert "earlier versions of the objects (S3 versioning): kept 35 days" in corrected


def test_no_backup_note_where_nothing_was_changed_or_nothing_is_backed_up() -> None:
    untouched = [StoreOutcome(store="site_leads", status=OutcomeStatus.DONE, found=1, at="x")]
    assert backup_note(DATA_MAP, RequestType.ERASURE, untouched, NOW) == []
    read = [StoreOutcome(store="site_leads", status=OutcomeStatus.DONE, changed=1, at="x")]
    assert backup_note(DATA_MAP, RequestType.ACCESS, read, NOW) == []


def test_erasure_reaches_a_record_unless_it_is_held_or_the_store_keeps_everything() -> None:
    transactions = DATA_MAP.stores["acme_transactions"]
    assert erasure_reaches(transactions, {"kind": "purchase"})
    assert not erasure_reaches(transactions, {"kind": "invoice"})
    keeping = transactions.model_copy(
        update={"erasure": Erasure(action=ErasureAction.KEEP, reason="the law")}
    )
    assert not erasure_reaches(keeping, {"kind": "purchase"})


def test_the_closing_notice_counts_the_earlier_versions_deleted() -> None:
    outcome = StoreOutcome(
        store="acme_sms_log",
        status=OutcomeStatus.DONE,
        found=6,
        changed=6,
        changes={"anonymise": 6},
        copies_erased=7,
        at="2026-11-01T00:00:00Z",
    )
    text = fulfilment_summary(DATA_MAP, RequestType.ERASURE, [outcome])
    assert (
        "6 records anonymised; 7 earlier versions of the files that held your data deleted" in text
    )
    # A store where only earlier versions were left still counts as a place data was found
    only_copies = outcome.model_copy(update={"found": 0, "changed": 0, "changes": {}})
    assert "found data about you in 1 place" in fulfilment_summary(
        DATA_MAP, RequestType.ERASURE, [only_copies]
    )


@pytest.mark.parametrize(
    ("error", "cause", "reason"),
    [
        (
            "ObjectUnreadable",
            json.dumps({"errorType": "ObjectUnreadable", "errorMessage": "s3: object k …"}),
            "s3: object k …",
        ),
        (
            "StoreUnavailable",
            json.dumps({"errorMessage": "t"}),
            "acme_sms_log: failed with StoreUnavailable",
        ),
        (
            "KeyError",
            json.dumps({"errorMessage": "'ada@example.com'"}),
            "acme_sms_log: failed with KeyError",
        ),
        ("ObjectUnreadable", "not json", "acme_sms_log: failed with ObjectUnreadable"),
        ("States.Timeout", "", "acme_sms_log: failed with States.Timeout"),
    ],
)
def test_ops_are_told_why_a_store_failed_only_in_words_written_for_them(
    error: str, cause: str, reason: str
) -> None:
    assert failure_reason("acme_sms_log", {"Error": error, "Cause": cause}) == reason
