"""E-mails to the person, in their language: each one a list of whole sentences from the gettext
catalogs (`rightsflow.domain.language`), written out once as plain text and once as HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rightsflow.domain.language import Words, local_time, words

__all__ = [
    "Facts",
    "Items",
    "Notice",
    "Origin",
    "Paragraph",
    "compose",
    "email_acknowledgment_notice",
    "email_too_large_notice",
    "email_triage_notice",
    "email_unrecognised_notice",
    "extension_notice",
    "identity_note",
    "lift_restriction_notice",
    "local_time",
    "rights_offered",
]


@dataclass(frozen=True)
class Notice:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Paragraph:
    """Sentences, already in the person's language. In HTML, `links` (URLs inside the text)
    become links and `strong` values are set in bold; line breaks are kept."""

    text: str
    links: Sequence[str] = field(default_factory=tuple)
    strong: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Facts:
    """Labelled values (request id, dates), one a line."""

    rows: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Items:
    """A list; in HTML, `links` inside the items become links."""

    items: Sequence[str]
    links: Sequence[str] = field(default_factory=tuple)


Block = Paragraph | Facts | Items


def compose(say: Words, subject: str, blocks: Sequence[Block | None]) -> Notice:
    """The e-mail: a greeting, the blocks (None: left out), and our signature."""
    body = [Paragraph(say.gettext("Hello,")), *(b for b in blocks if b is not None)]
    body.append(Paragraph(say.gettext("Privacy team")))
    return Notice(subject=subject, text=_text(say, body), html=_html(say.language, body))


def _text(say: Words, blocks: Sequence[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Facts):
            # i18n: a label before its value in a plain-text e-mail ("Request id:")
            labels = [say.gettext("%(label)s:", label=label) for label, _ in block.rows]
            width = max(len(label) for label in labels) + 1
            parts.append(
                "\n".join(
                    f"  {label:<{width}} {value}"
                    for label, (_, value) in zip(labels, block.rows, strict=True)
                )
            )
        else:
            parts.append("\n".join(f"- {item}" for item in block.items))
    return "\n\n".join(parts) + "\n"


def _inline(text: str, links: Sequence[str] = (), strong: Sequence[str] = ()) -> str:
    escaped = html.escape(text)
    marks = {
        html.escape(url): f'<a href="{html.escape(url)}">{html.escape(url)}</a>' for url in links
    }
    marks.update({html.escape(value): f"<strong>{html.escape(value)}</strong>" for value in strong})
    if marks:
        pattern = re.compile(
            "|".join(re.escape(mark) for mark in sorted(marks, key=len, reverse=True))
        )
        escaped = pattern.sub(lambda found: marks[found.group(0)], escaped)
    return escaped


def _html(language: str, blocks: Sequence[Block]) -> str:
    parts = [
        "<!doctype html>",
        f'<html lang="{html.escape(language)}"><body style="font-family: sans-serif; '
        'line-height: 1.5">',
    ]
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(
                '<p style="white-space: pre-line">'
                f"{_inline(block.text, block.links, block.strong)}</p>"
            )
        elif isinstance(block, Facts):
            rows = "".join(
                f'<tr><th align="left">{html.escape(label)}</th><td>{html.escape(value)}</td></tr>'
                for label, value in block.rows
            )
            parts.append(f"<table>{rows}</table>")
        else:
            items = "".join(f"<li>{_inline(item, block.links)}</li>" for item in block.items)
            parts.append(f"<ul>{items}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ------------------------------------------------------------------------------ shared sentences
def identity_note(say: Words, kind: str) -> str:
    """What an acknowledgment says to someone who did not make the request, by what the request
    needs: `code` (nothing happens without the e-mailed code), `no_code` (an opt-out, applied
    for the identifiers given) or `written` (answered in writing)."""
    if kind == "code":
        return say.gettext(
            "If you did not make this request, you can ignore this e-mail: nothing will be "
            "disclosed or changed without proof that the request comes from you."
        )
    if kind == "no_code":
        return say.gettext(
            "If you did not make this request, please tell us by replying to this e-mail. We "
            "stop this processing for the identifiers given without asking for proof, as "
            "stopping it harms no one; nothing is disclosed or otherwise changed."
        )
    return say.gettext("If you did not make this request, you can ignore this e-mail.")


def rights_offered(say: Words, rights: Sequence[tuple[str, str]]) -> Items:
    """Rights a person can ask for, as (label, article) pairs already in their language."""
    return Items(
        [
            say.gettext("%(right)s (%(article)s)", right=label, article=article)
            for label, article in rights
        ]
    )


# ------------------------------------------------------------------------------ e-mails
def extension_notice(
    language: str,
    *,
    request_id: str,
    previous_due: str,
    new_due: str,
    reason: str,
    law: str,
    time_zone: str | None,
) -> Notice:
    """The person is told the deadline was extended: the old and new dates (in `time_zone`,
    the request's `reading_zone`), our reason as ops wrote it, and the law that allows it."""
    say = words(language)
    return compose(
        say,
        say.gettext(
            "We need more time for your privacy request %(request_id)s", request_id=request_id
        ),
        [
            Paragraph(
                say.gettext(
                    "We need more time to answer your privacy request %(request_id)s.",
                    request_id=request_id,
                )
            ),
            Facts(
                [
                    (say.gettext("Previously due"), say.moment(previous_due, time_zone)),
                    (
                        say.gettext("Now due"),
                        say.gettext("%(due)s at the latest", due=say.moment(new_due, time_zone)),
                    ),
                ]
            ),
            Paragraph(say.gettext("Why: %(reason)s", reason=reason)),
            Paragraph(
                say.gettext(
                    "The law allows this: under %(law)s we may extend the time to answer if we "
                    "tell you so, with the reasons, before the first period ends.",
                    law=say.translate(law),
                )
            ),
            Paragraph(
                say.gettext(
                    "You can still check the status of your request at any time on our privacy "
                    "page."
                )
            ),
        ],
    )


def lift_restriction_notice(language: str, *, request_id: str) -> Notice:
    """Before a restriction is lifted, the person is told (GDPR Art. 18(3))."""
    say = words(language)
    return compose(
        say,
        say.gettext(
            "We are lifting the restriction on your data (%(request_id)s)", request_id=request_id
        ),
        [
            Paragraph(
                say.gettext(
                    "You asked us to lift the restriction of processing of your personal data "
                    "(request %(request_id)s). As the law requires, we are telling you before we "
                    "lift it: from now on, we will process your data again for the purposes "
                    "described in our privacy policy.",
                    request_id=request_id,
                )
            ),
            Paragraph(say.gettext("If you did not ask for this, reply to this e-mail at once.")),
        ],
    )


@dataclass(frozen=True)
class LetterRequest:
    """One request made from a letter, as its acknowledgment lists it."""

    label: str
    article: str
    request_id: str
    status_url: str


def email_acknowledgment_notice(
    language: str,
    *,
    requests: Sequence[LetterRequest],
    received_at: str,
    due_at: str,
    law: str,
    time_zone: str | None,
    needs_code: bool,
) -> Notice:
    """One acknowledgment for a letter: every request it made, each with a status link that
    works by itself; dates in `time_zone` (the request's `reading_zone`). `needs_code`: some
    request waits for the e-mailed code (an opt-out alone does not)."""
    say = words(language)
    count = len(requests)
    ids = ", ".join(r.request_id for r in requests)
    return compose(
        say,
        say.ngettext(
            "We received your privacy request %(request_ids)s",
            "We received your privacy requests %(request_ids)s",
            count,
            request_ids=ids,
        ),
        [
            Paragraph(
                say.ngettext(
                    "Thank you for your e-mail of %(received)s. We have made a request for the "
                    "right you asked for, and will answer by %(due)s at the latest (%(law)s):",
                    "Thank you for your e-mail of %(received)s. We have made one request for each "
                    "of the %(count)d rights you asked for, and will answer by %(due)s at the "
                    "latest (%(law)s):",
                    count,
                    received=say.moment(received_at, time_zone),
                    due=say.moment(due_at, time_zone),
                    law=say.translate(law),
                )
            ),
            Items(
                [
                    say.gettext(
                        "%(right)s (%(article)s), request %(request_id)s: %(url)s",
                        right=r.label,
                        article=r.article,
                        request_id=r.request_id,
                        url=r.status_url,
                    )
                    for r in requests
                ],
                links=[r.status_url for r in requests],
            ),
            Paragraph(
                say.ngettext(
                    "The link above shows how your request is going; it works by itself, so keep "
                    "this e-mail and do not share the link.",
                    "Each link above shows how your request is going; it works by itself, so keep "
                    "this e-mail and do not share the links.",
                    count,
                )
            ),
            Paragraph(
                say.gettext(
                    "Before anything is disclosed or changed, we will send you a verification "
                    "code by e-mail."
                )
            )
            if needs_code
            else None,
            Paragraph(
                say.gettext(
                    "If you did not write to us, you can ignore this e-mail: nothing will be "
                    "disclosed or changed without proof that the request comes from you."
                )
                if needs_code
                else identity_note(say, "no_code")
            ),
        ],
    )


def email_unrecognised_notice(
    language: str, *, rights: Sequence[tuple[str, str]], gdpr_page_url: str
) -> Notice:
    """The answer to a letter that names no right we could tell: the rights, and the page."""
    say = words(language)
    return compose(
        say,
        say.gettext("Your e-mail to our privacy team"),
        [
            Paragraph(
                say.gettext(
                    "Thank you for your e-mail to our privacy team. We could not tell which of "
                    "your rights you want to exercise. You can ask us, for example, for:"
                )
            ),
            rights_offered(say, rights),
            Paragraph(
                say.gettext(
                    'Just write to us again naming the right (for example "Please delete my '
                    'data" or "I want a copy of my data"), or use our privacy page: %(url)s',
                    url=gdpr_page_url,
                ),
                links=[gdpr_page_url],
            ),
        ],
    )


def email_triage_notice(language: str, *, gdpr_page_url: str, address_refused: bool) -> Notice:
    """The answer to a letter kept for a person on the team to read (`address_refused`: the
    address it came from cannot be a request's)."""
    say = words(language)
    return compose(
        say,
        say.gettext("Your e-mail to our privacy team"),
        [
            Paragraph(
                say.gettext(
                    "Thank you for your e-mail to our privacy team. A member of the team will "
                    "read it and answer you; if it is a request about your personal data, its "
                    "legal time limit runs from the day we received it."
                )
            ),
            Paragraph(
                say.gettext(
                    "We could not accept the address you wrote from for a request; please tell "
                    "us another one, or make the request on our privacy page."
                )
            )
            if address_refused
            else None,
            Paragraph(
                say.gettext(
                    "You can also make a request yourself on our privacy page: %(url)s",
                    url=gdpr_page_url,
                ),
                links=[gdpr_page_url],
            ),
        ],
    )


def email_too_large_notice(language: str, *, size: int, limit: int, gdpr_page_url: str) -> Notice:
    """The answer to a message too large to read (sizes in bytes)."""
    say = words(language)
    return compose(
        say,
        say.gettext("Your e-mail to our privacy team was too large"),
        [
            Paragraph(
                say.gettext(
                    "Your e-mail to our privacy team was too large (%(size)s) for us to process "
                    "(at most %(limit)s). Please write to us again without attachments: one "
                    'sentence such as "Please delete my data" is enough to make a request. Or '
                    "use our privacy page: %(url)s",
                    size=say.megabytes(size),
                    limit=say.megabytes(limit),
                    url=gdpr_page_url,
                ),
                links=[gdpr_page_url],
            ),
        ],
    )


@dataclass(frozen=True)
class Origin:
    """Who made a request the person did not make themselves: a Brand that instructed it
    (`brand`, its name), or the company on its own initiative (`brand` None; `reason` as ops
    recorded it, if any). Neither asks the person for proof, and the status token went to them."""

    brand: str | None = None
    reason: str | None = None


def acknowledgment_notice(
    language: str,
    *,
    request_id: str,
    right: tuple[str, str, str],
    received_at: str,
    due_at: str,
    law: str,
    time_zone: str | None,
    status_url: str,
    status_hint: str | None,
    identity: str,
    gpc: bool,
    origin: Origin | None = None,
) -> Notice:
    """The acknowledgment of one request: what was asked (`right`: label, article and promise,
    in the person's language), when it is due and under which law (in `time_zone`, its `reading_zone`),
    where to follow it (`status_hint`: `web` or `email`, how the status page is reached), and
    what to do if the person did not ask (`identity`, see `identity_note`). A request the person
    did not make (`origin`) says who made it and on what footing, promises no proof that will
    not be asked, and gives no status link: its token is the Brand's or ours, not the
    person's; they are told whom to ask instead."""
    say = words(language)
    label, article, promise = right
    hints = {
        "web": say.gettext(
            "Keep the status token you were shown when you submitted the request: the page "
            "asks for it."
        ),
        "email": say.gettext("The verification code we will e-mail you can be entered there."),
    }
    facts = Facts(
        [
            (say.gettext("Request id"), request_id),
            (say.pgettext("when", "Received"), say.moment(received_at, time_zone)),
            (
                say.gettext("Answer due"),
                say.gettext(
                    "%(due)s at the latest (%(law)s)",
                    due=say.moment(due_at, time_zone),
                    law=say.translate(law),
                ),
            ),
        ]
    )
    if origin is not None:
        return compose(
            say,
            say.gettext("A privacy request about your data: %(request_id)s", request_id=request_id),
            [*_origin_blocks(say, origin, label, article), facts, Paragraph(promise)],
        )
    return compose(
        say,
        say.gettext("We received your privacy request %(request_id)s", request_id=request_id),
        [
            Paragraph(
                say.gettext(
                    "We have received your request for %(right)s (%(article)s).",
                    right=label,
                    article=article,
                )
            ),
            facts,
            Paragraph(promise),
            Paragraph(
                say.gettext(
                    "Your browser also sent a Global Privacy Control signal: we recorded it as a "
                    "request to opt out of the sale and sharing of your personal information, for "
                    "the identifiers you gave us."
                )
            )
            if gpc
            else None,
            Paragraph(
                "\n".join(
                    [
                        say.gettext(
                            "You can check the status of your request at any time on our "
                            "privacy page: %(url)s",
                            url=status_url,
                        ),
                        *([hints[status_hint]] if status_hint in hints else []),
                    ]
                ),
                links=[status_url],
            ),
            Paragraph(identity_note(say, identity)),
        ],
    )


def _origin_blocks(say: Words, origin: Origin, label: str, article: str) -> list[Block | None]:
    if origin.brand is not None:
        return [
            Paragraph(
                say.gettext(
                    "%(brand)s, as the controller of your personal data that we process on its "
                    "behalf, has instructed us to carry out a request for %(right)s "
                    "(%(article)s). We act as its processor, only on its instructions, and only "
                    "on the data we process for %(brand)s.",
                    brand=origin.brand,
                    right=label,
                    article=article,
                )
            ),
            Paragraph(
                say.gettext(
                    "%(brand)s answers for this request, so we do not ask you for proof of "
                    "identity. If you did not want this request, or have questions about it, "
                    "please contact %(brand)s, or reply to this e-mail.",
                    brand=origin.brand,
                )
            ),
        ]
    reason = origin.reason.strip() if origin.reason else ""
    return [
        Paragraph(
            say.gettext(
                "We have started a request for %(right)s (%(article)s) about your personal "
                "data on our own initiative; you did not have to ask for it.",
                right=label,
                article=article,
            )
        ),
        Paragraph(say.gettext("Why: %(reason)s", reason=reason)) if reason else None,
        Paragraph(
            say.gettext(
                "As we started it ourselves, we do not ask you for proof of identity. If you "
                "have questions about this request, please reply to this e-mail."
            )
        ),
    ]


@dataclass(frozen=True)
class CodeRequest:
    """One request a verification code is for, as the code e-mail names it."""

    label: str
    article: str
    request_id: str


def verification_notice(
    language: str,
    *,
    request_id: str,
    requests: Sequence[CodeRequest],
    code: str,
    expires_at: str,
    time_zone: str | None,
    verify_url: str,
    attempts: int,
) -> Notice:
    """The e-mailed code: what was asked, the code, the page step that takes it (with only the
    request id `request_id`), until when it is valid (in `time_zone`, its `reading_zone`) and how often it can
    be tried. `requests` are every request the code verifies: one, or each right a letter asked
    for that needs the proof (one code, one e-mail for the whole letter)."""
    say = words(language)
    if len(requests) > 1:
        subject = say.gettext(
            "Your verification code for privacy requests %(request_ids)s",
            request_ids=", ".join(r.request_id for r in requests),
        )
        asked: list[Block] = [
            Paragraph(
                say.gettext(
                    "Someone asked us for these rights in one letter, using this e-mail address. "
                    "To make sure it was you, please enter this code on our privacy page; the one "
                    "code verifies every one of these requests:"
                )
            ),
            Items(
                [
                    say.gettext(
                        "%(right)s (%(article)s), request %(request_id)s",
                        right=r.label,
                        article=r.article,
                        request_id=r.request_id,
                    )
                    for r in requests
                ]
            ),
        ]
    else:
        only = requests[0] if requests else CodeRequest("", "", request_id)
        subject = say.gettext(
            "Your verification code for privacy request %(request_id)s",
            request_id=only.request_id,
        )
        asked = [
            Paragraph(
                say.gettext(
                    "Someone asked us for %(right)s using this e-mail address (request "
                    "%(request_id)s). To make sure it was you, please enter this code on our "
                    "privacy page.",
                    right=only.label,
                    request_id=only.request_id,
                )
            )
        ]
    return compose(
        say,
        subject,
        [
            *asked,
            Paragraph(say.gettext("Your verification code: %(code)s", code=code), strong=[code]),
            Paragraph(say.gettext("Enter it here: %(url)s", url=verify_url), links=[verify_url]),
            Paragraph(
                say.ngettext(
                    "The code is valid until %(expires)s. It can be tried once.",
                    "The code is valid until %(expires)s. It can be tried %(count)d times.",
                    attempts,
                    expires=say.moment(expires_at, time_zone),
                )
            ),
            Paragraph(
                say.gettext(
                    "If you did not make this request, ignore this e-mail: nothing will be "
                    "disclosed or changed. Never share this code with anyone; we will never ask "
                    "you for it by phone."
                )
            ),
        ],
    )
