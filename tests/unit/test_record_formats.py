"""S3 record formats: records, not lines. A change rewrites only the bytes of its own record;
every other record, odd or not, keeps every byte (ragged rows, quoting, CRLF, BOM included)."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator

import pytest

from rightsflow.integration.stores.formats import (
    EMPTY,
    Delimited,
    JsonLines,
    Layout,
    Unreadable,
    Unwritable,
    rewrite,
)
from rightsflow.integration.stores.formats.delimited import MAX_RECORD_LINES
from rightsflow.integration.stores.formats.records import (
    MAX_RECORD,
    RecordTooLong,
    rewrite_stream,
)


def _only_changed(before: bytes, after: bytes, layout: Layout, ordinal: int) -> None:
    """Every byte outside the record's span is as it was."""
    record = layout.records[ordinal]
    assert after.startswith(before[: record.start])
    assert after.endswith(before[record.end :]) or record.end == len(before)


def _ordinals(layout: Layout) -> dict[int, object]:
    return {r.ordinal: r.data for r in layout.records}


# ------------------------------------------------------------------------------ JSON lines
def test_json_lines_split_on_newline_only_so_a_raw_u2028_is_part_of_its_record() -> None:
    # GIVEN someone else's line whose text holds raw U+2028, U+2029, U+0085, \v and \f
    odd = {"phone": "+441", "content": "a\u2028b\u2029c\u0085d\x0be\x0cf"}
    body = json.dumps(odd, ensure_ascii=False) + "\n" + '{"phone": "+442", "content": "x"}\n'
    body_bytes = body.encode()
    # WHEN the object is read
    layout = JsonLines().read(body_bytes)
    # THEN it holds two records, the odd one read whole
    assert [r.data for r in layout.records] == [odd, {"phone": "+442", "content": "x"}]
    # AND erasing the second leaves the first byte for byte
    after = rewrite(layout, {1: EMPTY})
    assert after == body_bytes.split(b"\n")[0] + b"\n\n"


def test_anonymising_a_json_line_keeps_crlf_bom_and_every_other_line() -> None:
    # GIVEN a CRLF object with a byte order mark, a blank line and a line that is not JSON
    body = (
        codecs.BOM_UTF8
        + b'{"phone":"+441","content":"hi"}\r\n'
        + b"\r\n"
        + b"{not json}\r\n"
        + b'{"phone":"+442","content":"STOP"}\r\n'
        + b'{"phone":"+443","content":"caf\xc3\xa9"}\r\n'
    )
    fmt = JsonLines()
    layout = fmt.read(body)
    # THEN the blank line is an empty slot and the bad line is reported on its own
    assert [r.ordinal for r in layout.records] == [0, 1, 2, 3, 4]
    assert layout.records[1].empty
    assert layout.records[2].problem == "record 2 is not valid JSON (column 2)"
    assert layout.records[0].data == {"phone": "+441", "content": "hi"}
    # WHEN the person's record (+442) is anonymised
    target = layout.records[3]
    assert target.data is not None
    new = fmt.encode(layout, target, {**target.data, "phone": "", "content": ""})
    after = rewrite(layout, {3: new})
    # THEN only its bytes changed, written in the object's own compact style
    assert after == body.replace(b'{"phone":"+442","content":"STOP"}', b'{"phone":"","content":""}')
    _only_changed(body, after, layout, 3)
    assert after.startswith(codecs.BOM_UTF8)
    # AND reading again gives every other record at the same place
    again = fmt.read(after)
    assert _ordinals(again) | {3: None} == _ordinals(layout) | {3: None}


def test_a_deleted_json_line_leaves_an_empty_slot_so_no_other_record_moves() -> None:
    body = b'{"a": 1}\n{"a": 2}\n{"a": 3}'  # no line ending after the last record
    fmt = JsonLines()
    layout = fmt.read(body)
    # WHEN the middle and the last records are deleted
    after = rewrite(layout, {1: EMPTY, 2: EMPTY})
    # THEN their slots stay, empty, and the first is untouched
    assert after == b'{"a": 1}\n\n\n'
    again = fmt.read(after)
    assert [r.empty for r in again.records] == [False, True, True]
    # AND a writer appending afterwards gets the next ordinal, not a deleted one
    appended, ordinal = fmt.append(again, {"a": 4})
    assert ordinal == 3
    assert fmt.read(appended).records[3].data == {"a": 4}


def test_a_json_line_in_windows_1252_is_read_and_written_in_it() -> None:
    body = '{"name": "Müller"}\n{"name": "Zoë"}\n'.encode("cp1252")
    fmt = JsonLines("windows-1252")
    layout = fmt.read(body)
    assert [r.data for r in layout.records] == [{"name": "Müller"}, {"name": "Zoë"}]
    # A character Windows-1252 cannot hold is written as a JSON escape, never lost
    new = fmt.encode(layout, layout.records[1], {"name": "Őrs"})
    assert new == b'{"name": "\\u0150rs"}'
    assert fmt.read(rewrite(layout, {1: new})).records[1].data == {"name": "Őrs"}


def test_an_undecodable_json_line_is_reported_alone() -> None:
    body = b'{"name": "caf\xe9"}\n{"name": "ok"}\n'
    layout = JsonLines().read(body)
    assert layout.records[0].problem == "record 0 is not valid utf-8 (byte 13)"
    assert layout.records[1].data == {"name": "ok"}


# ------------------------------------------------------------------------------ CSV
ROWS = (
    b"email,name,phone,position,history,education\n"
    b'grace@example.com,Grace,+441,Engineer,"5 years, sales",BSc\n'
    b"ada@example.com,Ada,+442,Analyst,engines,tuition\n"
    b"alan@example.com,Alan,,,,\n"
)


def test_erasing_a_row_leaves_the_other_rows_and_the_header_as_they_were() -> None:
    fmt = Delimited()
    layout = fmt.read(ROWS)
    grace = layout.records[0].data
    assert grace is not None
    assert grace["history"] == "5 years, sales"
    # WHEN Ada's row is deleted
    after = rewrite(layout, {1: EMPTY})
    # THEN her bytes are gone, her slot stays, and nothing else changed
    assert after == ROWS.replace(b"ada@example.com,Ada,+442,Analyst,engines,tuition", b"")
    assert [r.data for r in fmt.read(after).records] == [grace, None, layout.records[2].data]


def test_correcting_a_row_keeps_its_other_fields_as_written() -> None:
    fmt = Delimited()
    layout = fmt.read(ROWS)
    grace = layout.records[0]
    assert grace.data is not None
    new = fmt.encode(layout, grace, {**grace.data, "name": "Grace Hopper"})
    assert new == b'grace@example.com,Grace Hopper,+441,Engineer,"5 years, sales",BSc'


def test_quoting_multiline_fields_crlf_and_bom_of_other_rows_are_kept() -> None:
    body = (
        codecs.BOM_UTF8
        + b'"email","name","notes"\r\n'
        + b'"grace@example.com","Grace","line one\r\nline ""two"""\r\n'
        + b'ada@example.com,"Lovelace, Ada",analyst\r\n'
        + b"\r\n"
        + b'alan@example.com,Alan,"x"\r\n'
    )
    fmt = Delimited()
    layout = fmt.read(body)
    assert layout.header == ("email", "name", "notes")
    assert layout.records[0].data == {
        "email": "grace@example.com",
        "name": "Grace",
        "notes": 'line one\r\nline "two"',
    }
    assert layout.records[2].empty
    # WHEN Ada's notes are blanked (anonymised)
    ada = layout.records[1]
    assert ada.data is not None
    after = rewrite(layout, {1: fmt.encode(layout, ada, {**ada.data, "notes": ""})})
    # THEN her quoted name keeps its quotes, and every other byte is as it was
    assert after == body.replace(
        b'ada@example.com,"Lovelace, Ada",analyst', b'ada@example.com,"Lovelace, Ada",'
    )
    # WHEN Grace's multi-line row is deleted instead, THEN it leaves one empty slot
    deleted = fmt.read(rewrite(layout, {0: EMPTY}))
    assert [r.ordinal for r in deleted.records if r.empty] == [0, 2]
    assert deleted.records[3].data == layout.records[3].data


def test_a_windows_1252_csv_is_read_and_changed_in_windows_1252() -> None:
    body = "email,name\r\nj@example.de,Jörg Müller\r\nz@example.fr,Zoë Œuvre\r\n".encode("cp1252")
    fmt = Delimited("windows-1252")
    layout = fmt.read(body)
    assert [r.data for r in layout.records] == [
        {"email": "j@example.de", "name": "Jörg Müller"},
        {"email": "z@example.fr", "name": "Zoë Œuvre"},
    ]
    jorg = layout.records[0]
    assert jorg.data is not None
    after = rewrite(layout, {0: fmt.encode(layout, jorg, {**jorg.data, "name": "Jörg Meier"})})
    assert after == body.replace("Jörg Müller".encode("cp1252"), "Jörg Meier".encode("cp1252"))
    # A name Windows-1252 cannot hold is refused, naming the character, not the name
    with pytest.raises(Unwritable, match="U\\+0150"):
        fmt.encode(layout, jorg, {**jorg.data, "name": "Őrs"})


def test_a_row_not_valid_in_the_declared_encoding_is_reported_alone() -> None:
    # GIVEN a UTF-8 CSV with one row someone saved in Windows-1252
    body = b"email,name\nj@example.de,J\xf6rg\nada@example.com,Ada\n"
    layout = Delimited().read(body)
    assert layout.records[0].problem == "record 0 is not valid utf-8 (byte 25)"
    assert layout.records[1].data == {"email": "ada@example.com", "name": "Ada"}
    assert rewrite(layout, {1: EMPTY}) == b"email,name\nj@example.de,J\xf6rg\n\n"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"em\xe9il,name\na,b\n", "the header is not valid utf-8 (byte 2)"),
        (b"\nemail\na\n", "the first line, where the header belongs, is empty"),
        (b"email,email\na,b\n", "the header names column 'email' twice"),
        (b"email,name\na,b\rc\n", "not valid CSV after byte 11"),
    ],
)
def test_a_csv_whose_layout_cannot_be_trusted_is_unreadable(body: bytes, problem: str) -> None:
    with pytest.raises(Unreadable) as raised:
        Delimited().read(body)
    assert str(raised.value).startswith(problem)


def test_a_writer_appending_to_a_csv_follows_its_line_ending_and_header() -> None:
    fmt = Delimited(delimiter=";")
    body, first = fmt.append(fmt.read(b""), {"email": "a@example.com", "name": "A; B"})
    assert (body, first) == (b'email;name\na@example.com;"A; B"\n', 0)
    crlf = b"email;name\r\nb@example.com;B"
    body, second = fmt.append(fmt.read(crlf), {"email": "c@example.com", "name": "C"})
    assert (body, second) == (crlf + b"\r\nc@example.com;C\r\n", 1)
    with pytest.raises(Unwritable, match="no column 'phone'"):
        fmt.append(fmt.read(body), {"email": "d@example.com", "phone": "+44"})


# ------------------------------------------------------------------------------ no record swallows another
APPLICANTS = b"email,name,phone,position,history,education,applied_at\r\n"


def _applicants() -> Delimited:
    """The job applicants' format as the data map gives it: looked up by e-mail."""
    return Delimited("windows-1252", ",", lookups={"email": lambda value: "@" in value})


def test_a_stray_quote_makes_the_object_unreadable_instead_of_one_giant_record() -> None:
    # GIVEN Bob's row with a quote left open, then Ada's and Cyd's rows (the breaker's CSV)
    body = (
        APPLICANTS
        + b'bob.q@example.com,"Bob ""The Builder,,,,,\r\n'
        + b"ada.q@example.com,Ada,,,,,\r\n"
        + b"cyd.q@example.com,Cyd,,,,,\r\n"
    )
    # WHEN it is read, THEN it is unreadable, naming Bob's record: his row cannot be told
    # apart from the next ones (before: one record holding all three)
    with pytest.raises(Unreadable, match=r"record 0 \(at byte 56\) has 2 fields"):
        _applicants().read(body)


def test_a_quote_left_open_in_the_last_column_is_caught_on_the_lines_it_swallows() -> None:
    # GIVEN a quote left open in the last column: the field count is still the header's
    body = b"email,name\r\n" + b'bob@example.com,"Bob\r\n' + b"ada@example.com,Ada\r\n"
    fmt = Delimited(lookups={"email": lambda value: "@" in value})
    # WHEN it is read, THEN it is unreadable: the quoted field runs over Ada's whole record
    with pytest.raises(Unreadable, match="reads as a record of its own"):
        fmt.read(body)
    # AND a quoted field over lines that are no record (an address) is one record
    address = b"email,name\r\n" + b'bob@example.com,"Bob\r\n1 Main St, Springfield"\r\n'
    assert fmt.read(address).records[0].data == {
        "email": "bob@example.com",
        "name": "Bob\r\n1 Main St, Springfield",
    }


def test_a_row_with_more_or_fewer_fields_than_the_header_makes_the_object_unreadable() -> None:
    for row in (b"grace@example.com,Grace,+441,Engineer,5 years, sales,BSc\n", b"alan@x.com,Al\n"):
        body = b"email,name,phone,position,history,education\n" + row
        with pytest.raises(Unreadable, match="fields where the header has 6"):
            Delimited().read(body)


def test_a_rewrite_refuses_an_object_whose_records_cannot_be_told_apart() -> None:
    # GIVEN Bob's row with a quote left open, swallowing Ada's
    body = APPLICANTS + b'bob@example.com,"Bob,,,,,\r\nada@example.com,Ada,,,,,\r\n'
    # WHEN Bob's record is rewritten, THEN nothing is written: reading it fails first
    with pytest.raises(Unreadable):
        list(rewrite_stream(_applicants().pieces([body], only={0}.__contains__), lambda p: EMPTY))


def test_a_quoted_field_over_too_many_lines_makes_the_object_unreadable() -> None:
    body = b"email,notes\n" + b'bob@example.com,"' + b"line\n" * (MAX_RECORD_LINES + 1) + b'"\n'
    with pytest.raises(Unreadable, match=f"spans more than {MAX_RECORD_LINES} lines"):
        Delimited().read(body)


def test_a_record_longer_than_the_limit_is_unreadable_without_being_read_whole() -> None:
    # GIVEN one JSON line of 17 MiB, streamed in 1 MiB chunks, then a good line
    line = b'{"phone": "+441", "content": "' + b"x" * (17 << 20) + b'"}\n'
    read: list[int] = []

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(line), 1 << 20):
            read.append(start)
            yield line[start : start + (1 << 20)]

    # WHEN it is read, THEN it is unreadable as too long
    with pytest.raises(RecordTooLong, match="longer than 16 MiB"):
        list(JsonLines().pieces(chunks()))
    # AND the reader stopped just past the limit, never holding the whole line
    assert len(read) <= (MAX_RECORD >> 20) + 1
    # AND a CSV row over the limit too (its lines each short)
    many = b"email,notes\n" + b'a@b.co,"' + (b"y" * 100_000 + b"\n") * 200 + b'"\n'
    with pytest.raises(Unreadable):
        Delimited().read(many)


# ------------------------------------------------------------------------------ headers
def test_a_header_is_matched_trimmed_and_case_insensitively_to_the_data_maps_names() -> None:
    body = b" Email ,NAME\r\nAda@Example.com,Ada\r\n"
    fmt = Delimited(columns=["name"], lookups={"email": lambda value: "@" in value})
    layout = fmt.read(body)
    # THEN the record is read under the data map's names, and the header's bytes are kept
    assert layout.records[0].data == {"email": "Ada@Example.com", "name": "Ada"}
    after = rewrite(layout, {0: fmt.encode(layout, layout.records[0], {"name": "A. Lovelace"})})
    assert after == b" Email ,NAME\r\nAda@Example.com,A. Lovelace\r\n"


def test_a_header_without_the_lookup_column_makes_the_object_unreadable() -> None:
    fmt = _applicants()
    with pytest.raises(Unreadable, match="has no column 'email', which the store is looked up"):
        fmt.read(b"mail,name\r\nada@example.com,Ada\r\n")
    # AND a header read with the wrong delimiter says which one it seems to be
    with pytest.raises(Unreadable, match="separated by ';', not the data map's ','"):
        fmt.read(b"email;name\r\nada@example.com;Ada\r\n")
    # AND the data map's ';' reads it
    semi = Delimited("windows-1252", ";", lookups={"email": lambda value: "@" in value})
    assert semi.read(b"email;name\r\nada@example.com;Ada\r\n").records[0].data == {
        "email": "ada@example.com",
        "name": "Ada",
    }


def test_an_excel_utf8_csv_in_a_windows_1252_store_is_read_and_written_as_utf8() -> None:
    # GIVEN Excel's "CSV UTF-8" (a byte order mark, then UTF-8) in a windows-1252 store
    body = codecs.BOM_UTF8 + "email,name\r\ngus@example.com,Gus Ölund\r\n".encode()
    fmt = Delimited("windows-1252", ",", lookups={"email": lambda value: "@" in value})
    # WHEN it is read, THEN its header and record read as UTF-8
    layout = fmt.read(body)
    gus = layout.records[0]
    assert gus.data == {"email": "gus@example.com", "name": "Gus Ölund"}
    # AND a correction is written in UTF-8, the object's own encoding
    after = rewrite(layout, {0: fmt.encode(layout, gus, {"name": "Gus Öst"})})
    assert after == codecs.BOM_UTF8 + "email,name\r\ngus@example.com,Gus Öst\r\n".encode()
