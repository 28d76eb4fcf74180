"""What intake does with one e-mail, decided without side effects: make requests, hand the
letter to ops triage, ignore it, or answer it. `rightsflow mail classify` and the e-mail intake
function both ask this module, so what ops check by hand is what the product does."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from rightsflow.domain.inbound_mail import InboundMail, MalformedMail, parse
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.mail_jurisdiction import stated_jurisdiction
from rightsflow.domain.mail_recognition import Recognition, recognise
from rightsflow.domain.requests import DEFAULT_JURISDICTION, address_problem


class MailOutcome(StrEnum):
    """What intake does with a message (the `outcome` of `rightsflow mail classify`)."""

    REQUEST = "request"  # one request per right asked, linked as a group
    TRIAGE = "triage"  # kept for ops, who make the requests or dismiss it
    IGNORED = "ignored"  # automated mail, our own mail, refused by SES: nothing, no reply
    UNRECOGNISED = "unrecognised"  # no right named: a reply lists the rights
    MALFORMED = "malformed"  # not an e-mail we can read: nothing, no reply
    TOO_LARGE = "too_large"  # over the size limit: a reply says so


@dataclass(frozen=True)
class MailDecision:
    outcome: MailOutcome
    rights: tuple[str, ...] = ()  # in the order the requests are (or would be) made
    # Rights the letter may ask for, too weakly said to act on: the reason it went to triage.
    unsure: tuple[str, ...] = ()
    language: str = "und"
    sender: str | None = None
    reasons: tuple[str, ...] = ()
    mail: InboundMail | None = None
    recognition: Recognition | None = field(default=None, repr=False)
    sender_problem: str | None = None  # why the sender address cannot make a request
    # Where the letter says its writer lives, or the law it invokes (mail_jurisdiction); else
    # the default. The requests it makes run on this place's clock.
    jurisdiction: str = DEFAULT_JURISDICTION


def intake_accepts(right: str) -> bool:
    """Whether the product can make a request of this type from a letter. An appeal needs the
    decision it appeals and that request's token: ops find them (triage)."""
    return right in RequestType.__members__.values() and right not in {
        RequestType.LIFT_RESTRICTION,
        RequestType.APPEAL,
    }


def classify(
    raw: bytes,
    *,
    envelope_sender: str | None = None,
    max_bytes: int | None = None,
    our_addresses: frozenset[str] = frozenset(),
    refused_by_ses: str | None = None,
) -> MailDecision:
    """Decide what intake does with a raw message. `our_addresses` are never answered (a mail
    loop); `refused_by_ses` is SES's verdict (spam, virus, forged sender), if any."""
    if refused_by_ses is not None:
        return MailDecision(MailOutcome.IGNORED, reasons=(f"refused by SES: {refused_by_ses}",))
    if max_bytes is not None and len(raw) > max_bytes:
        return MailDecision(
            MailOutcome.TOO_LARGE,
            sender=envelope_sender,
            reasons=(f"{len(raw)} bytes, over the limit of {max_bytes}",),
        )
    try:
        mail = parse(raw, envelope_sender)
    except MalformedMail as error:
        return MailDecision(MailOutcome.MALFORMED, reasons=(str(error),))
    return decide(mail, our_addresses=our_addresses)


def decide(mail: InboundMail, *, our_addresses: frozenset[str] = frozenset()) -> MailDecision:
    """The decision for a message already read."""
    reasons: list[str] = []
    if mail.sender_from_envelope:
        reasons.append("sender taken from the envelope (no usable From)")
    if mail.automated is not None:
        return MailDecision(
            MailOutcome.IGNORED,
            sender=mail.sender,
            reasons=(*reasons, f"automated mail ({mail.automated})"),
            mail=mail,
        )
    if mail.sender in {a.lower() for a in our_addresses}:
        return MailDecision(
            MailOutcome.IGNORED,
            sender=mail.sender,
            reasons=(*reasons, "sent from one of our own addresses"),
            mail=mail,
        )
    recognition = recognise(mail.subject, mail.text)
    reasons += recognition.reasons
    stated = stated_jurisdiction(mail.subject, mail.text)
    jurisdiction = stated.code if stated is not None else DEFAULT_JURISDICTION
    reasons.append(
        f"jurisdiction {jurisdiction} ({stated.evidence})"
        if stated is not None
        else f"jurisdiction {jurisdiction} (none stated: the default)"
    )
    if mail.attachments_read:
        reasons.append(f"attachments read: {len(mail.attachments_read)}")
    unread = len(mail.attachments) - len(mail.attachments_read)
    if unread:
        reasons.append(f"attachments noted, not read: {unread}")
    sender_problem = address_problem(mail.sender)

    def decision(outcome: MailOutcome, rights: tuple[str, ...], *why: str) -> MailDecision:
        return MailDecision(
            outcome,
            rights=rights,
            language=recognition.language,
            sender=mail.sender,
            reasons=(*reasons, *why),
            mail=mail,
            recognition=recognition,
            unsure=recognition.unsure if outcome is MailOutcome.TRIAGE else (),
            sender_problem=sender_problem,
            jurisdiction=jurisdiction,
        )

    if sender_problem is not None:
        return decision(
            MailOutcome.TRIAGE, recognition.rights, f"sender address refused: {sender_problem}"
        )
    if not recognition.rights:
        if recognition.unsure:
            return decision(MailOutcome.TRIAGE, (), "unsure: " + ", ".join(recognition.unsure))
        if recognition.about_own_data:
            return decision(
                MailOutcome.TRIAGE,
                (),
                "no right named, but about the writer's own data: a person reads it",
            )
        return decision(MailOutcome.UNRECOGNISED, ())
    if recognition.unsure:
        # One right is clear, another only hinted: making the clear one alone would drop the
        # other silently, and guessing it could make a request nobody asked for. Ops decide.
        return decision(
            MailOutcome.TRIAGE, recognition.rights, "unsure: " + ", ".join(recognition.unsure)
        )
    waiting = [r for r in recognition.rights if not intake_accepts(r)]
    if waiting:
        return decision(
            MailOutcome.TRIAGE,
            recognition.rights,
            "a request intake cannot make from a letter (ops find the decision appealed): "
            + ", ".join(waiting),
        )
    return decision(MailOutcome.REQUEST, recognition.rights)
