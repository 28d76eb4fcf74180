"""E-mails to the privacy address: read with the standard library however they are encoded, and
understood well enough to know which right the person asks for, in which language."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from email.utils import parseaddr
from html.parser import HTMLParser

from rightsflow.domain.lifecycle import RequestType

LANGUAGES = ("en", "de", "fr", "es", "it")

# The words people use for each right, by language (lower case; matched on word boundaries,
# accents optional). Extend a list to teach the product a new phrasing.
RIGHT_WORDS: dict[RequestType, dict[str, tuple[str, ...]]] = {
    RequestType.ERASURE: {
        "en": (
            "delete my data",
            "delete my",
            "erase",
            "erasure",
            "remove my data",
            "right to be forgotten",
            "forget me",
            "delete my account",
        ),
        "de": ("löschen", "löschung", "recht auf vergessenwerden", "daten entfernen"),
        "fr": ("supprimer", "suppression", "effacer", "effacement", "droit à l'oubli"),
        "es": ("suprimir", "supresión", "borrar", "eliminar mis datos", "derecho al olvido"),
        "it": ("cancellare", "cancellazione", "eliminare i miei dati", "diritto all'oblio"),
    },
    RequestType.ACCESS: {
        "en": (
            "access",
            "copy of my data",
            "copy of my personal data",
            "what data",
            "what personal data",
            "subject access request",
        ),
        "de": ("auskunft", "kopie meiner daten", "welche daten"),
        "fr": ("droit d'accès", "accès à mes données", "copie de mes données"),
        "es": ("derecho de acceso", "acceso a mis datos", "copia de mis datos"),
        "it": ("diritto di accesso", "accesso ai miei dati", "copia dei miei dati"),
    },
    RequestType.RECTIFICATION: {
        "en": ("rectify", "rectification", "correct my", "update my address", "is wrong"),
        "de": ("berichtigung", "berichtigen", "korrigieren", "falsch gespeichert"),
        "fr": ("rectifier", "rectification", "corriger"),
        "es": ("rectificación", "rectificar", "corregir"),
        "it": ("rettifica", "rettificare", "correggere"),
    },
    RequestType.PORTABILITY: {
        "en": ("portability", "machine-readable", "transfer my data", "export my data"),
        "de": ("datenübertragbarkeit", "übertragbarkeit", "daten exportieren"),
        "fr": ("portabilité",),
        "es": ("portabilidad",),
        "it": ("portabilità",),
    },
    RequestType.RESTRICTION: {
        "en": ("restrict", "restriction of processing", "block the processing"),
        "de": ("einschränkung der verarbeitung", "einschränken"),
        "fr": ("limitation du traitement", "limiter le traitement"),
        "es": ("limitación del tratamiento", "limitar el tratamiento"),
        "it": ("limitazione del trattamento", "limitare il trattamento"),
    },
    RequestType.WITHDRAW_CONSENT: {
        "en": (
            "unsubscribe",
            "withdraw my consent",
            "withdraw consent",
            "stop sending me",
            "opt out",
            "opt-out",
        ),
        "de": (
            "einwilligung widerrufen",
            "widerrufe meine einwilligung",
            "abmelden",
            "newsletter abbestellen",
        ),
        "fr": ("retirer mon consentement", "retire mon consentement", "désabonner", "désinscrire"),
        "es": ("retirar mi consentimiento", "retiro mi consentimiento", "darme de baja"),
        "it": (
            "revocare il consenso",
            "revoco il consenso",
            "disiscrivermi",
            "annullare l'iscrizione",
        ),
    },
    RequestType.OBJECTION: {
        "en": ("object to", "objection", "stop processing"),
        "de": ("widerspruch", "widerspreche"),
        "fr": ("opposition", "je m'oppose"),
        "es": ("oposición", "me opongo"),
        "it": ("opposizione", "mi oppongo"),
    },
    RequestType.AUTOMATED_DECISION: {
        "en": ("automated decision", "profiling"),
        "de": ("automatisierte entscheidung", "profiling"),
        "fr": ("décision automatisée", "profilage"),
        "es": ("decisión automatizada", "elaboración de perfiles"),
        "it": ("decisione automatizzata", "profilazione"),
    },
    RequestType.COMPLAINT: {
        "en": ("complaint", "complain"),
        "de": ("beschwerde",),
        "fr": ("plainte", "réclamation"),
        "es": ("queja", "reclamación"),
        "it": ("reclamo",),
    },
}

# Words frequent in each language, to tell them apart when no right is named.
_COMMON_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "my", "please", "data", "and", "thank", "you", "would", "like", "i"),
    "de": ("ich", "und", "meine", "bitte", "daten", "sie", "der", "die", "mit", "danke"),
    "fr": ("je", "mes", "les", "des", "et", "merci", "vous", "données", "de", "bonjour"),
    "es": ("mis", "por", "favor", "los", "datos", "gracias", "quiero", "de", "y", "hola"),
    "it": ("miei", "dati", "vorrei", "grazie", "il", "di", "e", "buongiorno", "per", "la"),
}

# Where quoted history starts in replies, in the languages we read.
_QUOTE_STARTS = re.compile(
    r"^(On .+ wrote:|Am .+ schrieb .+:|Le .+ a écrit ?:|El .+ escribió:|Il .+ ha scritto:|"
    r"-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|"
    r"Messaggio originale)\s*-{2,}|From: .+|Von: .+|De : .+|Da: .+)\s*$",
    re.IGNORECASE,
)

# Rights in order of precedence when a message names several equally often: the one that
# changes the most is the one the person most likely means.
_PRECEDENCE = [
    RequestType.ERASURE,
    RequestType.RECTIFICATION,
    RequestType.RESTRICTION,
    RequestType.PORTABILITY,
    RequestType.ACCESS,
    RequestType.WITHDRAW_CONSENT,
    RequestType.OBJECTION,
    RequestType.AUTOMATED_DECISION,
    RequestType.COMPLAINT,
]


class MalformedMail(ValueError):
    """The message cannot be read as an e-mail (no sender, not MIME at all)."""


@dataclass
class InboundMail:
    sender: str
    subject: str
    body: str  # the person's own words: text, or text from HTML, without quoted history
    message_id: str | None
    attachments: list[str] = field(default_factory=list)  # file names, ignored but noted
    undecodable_parts: int = 0


@dataclass(frozen=True)
class Understanding:
    right: RequestType | None
    language: str


class _TextFromHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        if tag in {"br", "p", "div", "li", "tr", "blockquote"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextFromHtml()
    parser.feed(html)
    return "".join(parser.parts)


def _decoded(part: Message) -> str | None:
    """A text part's content whatever its charset says; None if it cannot be read at all."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return payload.decode("latin-1")  # every byte is a character: never fails


def _strip_quoted_history(text: str) -> str:
    kept: list[str] = []
    for line in text.splitlines():
        if _QUOTE_STARTS.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def parse(raw: bytes) -> InboundMail:
    """Read a raw message: multipart or not, quoted-printable or base64, any charset."""
    try:
        message = message_from_bytes(raw, policy=policy.default)
    except Exception as error:  # the parser is lenient; anything left is not an e-mail
        raise MalformedMail(f"not a MIME message: {type(error).__name__}") from error
    _, sender = parseaddr(str(message.get("From", "")))
    if "@" not in sender:
        raise MalformedMail("no sender address")
    plain: list[str] = []
    html: list[str] = []
    attachments: list[str] = []
    undecodable = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        if disposition == "attachment" or (
            part.get_filename() and part.get_content_maintype() != "text"
        ):
            attachments.append(part.get_filename() or part.get_content_type())
            continue
        if part.get_content_maintype() != "text":
            continue
        text = _decoded(part)
        if text is None:
            undecodable += 1
        elif part.get_content_subtype() == "html":
            html.append(text)
        else:
            plain.append(text)
    body = "\n".join(plain) if plain else html_to_text("\n".join(html))
    subject = str(message.get("Subject", "") or "")
    message_id = message.get("Message-ID")
    return InboundMail(
        sender=sender.strip().lower(),
        subject=subject,
        body=_strip_quoted_history(body),
        message_id=str(message_id).strip() if message_id else None,
        attachments=attachments,
        undecodable_parts=undecodable,
    )


def _fold(text: str) -> str:
    """Lower case, with accents kept and also matched without them."""
    return unicodedata.normalize("NFC", text).casefold()


def _strip_accents(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )


def _count(phrase: str, text: str) -> int:
    """Whole-phrase matches, accents optional (people write "loschen" for "löschen")."""
    pattern = r"(?<!\w)" + re.escape(_strip_accents(phrase)) + r"(?!\w)"
    return len(re.findall(pattern, text))


def understand(mail: InboundMail) -> Understanding:
    """Which right the message asks for (None: none recognised) and its language."""
    subject, body = _strip_accents(_fold(mail.subject)), _strip_accents(_fold(mail.body))
    scores: dict[RequestType, int] = {}
    language_votes: dict[str, int] = dict.fromkeys(LANGUAGES, 0)
    for right, by_language in RIGHT_WORDS.items():
        for language, phrases in by_language.items():
            for phrase in phrases:
                hits = 2 * _count(phrase, subject) + _count(phrase, body)
                if hits:
                    scores[right] = scores.get(right, 0) + hits
                    language_votes[language] += hits * 3
    words = re.findall(r"\w+", subject + " " + body)
    for language, common in _COMMON_WORDS.items():
        folded = {_strip_accents(word) for word in common}
        language_votes[language] += sum(1 for word in words if word in folded)
    language = max(LANGUAGES, key=lambda lang: (language_votes[lang], lang == "en"))
    if not scores:
        return Understanding(None, language)
    best = max(scores.values())
    right = next(r for r in _PRECEDENCE if scores.get(r) == best)
    return Understanding(right, language)


def refusal(receipt: dict[str, object]) -> str | None:
    """Why SES's verdicts mean this message must not become a request (None: it may)."""

    def status(name: str) -> str:
        verdict = receipt.get(name)
        return str(verdict.get("status", "")).upper() if isinstance(verdict, dict) else ""

    if status("virusVerdict") == "FAIL":
        return "virus"
    if status("spamVerdict") == "FAIL":
        return "spam"
    if status("spfVerdict") == "FAIL" and status("dkimVerdict") == "FAIL":
        return "forged_sender"
    return None
