"""The words people use to ask for each right, by language: the tables the mail recogniser reads.

A phrase is a few words matched in order within one sentence, up to `MAX_GAP` words apart, so
"withdraw consent" also finds "I am withdrawing my consent". Each word is matched on its Snowball
stem in the phrase's language (accents optional), unless it carries a `*`: `usun*` matches any
word starting with "usun" (Polish verb forms), `*losch*` any word containing "losch" (German
compounds such as "Datenlöschung"). Write words without accents where a `*` is used. A weight
says how sure the phrase makes us: 2 is a plain request for the right, 1 a hint, 3 unmistakable.
A phrase marked `!` is a refusal in itself ("no more ads"): a negation before it does not undo it.

Rights are named as the request types the product knows (`rightsflow.domain.lifecycle`),
the CCPA/state-law opt-outs and appeals included (`KNOWN_RIGHTS`). Intake makes a request for
each of them from a letter, except an appeal, which needs the decision's id and token: ops
triage it (`mail_classification.intake_accepts`).

`OWN_DATA` says when a letter that names no right is still about the writer's own personal
data ("what you do with the information about me", "you have my phone number"): a person
reads it (triage) rather than answer it with the list of rights.
"""

from __future__ import annotations

# Every right the recogniser can name, in the order requests are made when a letter asks for
# several: opt-outs, objections and consent withdrawals first (they stop processing at once,
# GDPR Art. 7(3), 21(3); CCPA § 1798.120), access before changes and erasure (the person may
# want a copy of what is about to be erased).
KNOWN_RIGHTS: tuple[str, ...] = (
    "opt_out_sale_sharing",
    "limit_sensitive_pi",
    "opt_out_targeted_advertising",
    "opt_out_profiling",
    "withdraw_consent",
    "objection",
    "automated_decision",
    "restriction",
    "access",
    "portability",
    "rectification",
    "erasure",
    "complaint",
    "appeal",
)

LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "cs")

STEMMERS: dict[str, str] = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "pl": "polish",
    "sv": "swedish",
    "da": "danish",
    "cs": "czech",
}

# right -> language -> ((phrase, weight), ...)
PHRASES: dict[str, dict[str, tuple[tuple[str, float], ...]]] = {
    "access": {
        "en": (
            ("copy of everything", 2),
            ("hold on me", 1),
            ("have on me", 1),
            ("what info", 1.5),
            ("what information", 1.5),
            ("see what you have", 2),
            ("subject access request", 3),
            ("access request", 2),
            ("right of access", 2),
            ("right to access", 2),
            ("access personal data", 2),
            ("access my data", 2),
            ("copy personal data", 2),
            ("copy my data", 2),
            ("copy information hold", 2),
            ("supply personal data", 2),
            ("personal data hold about me", 1.5),
            ("what personal data", 1.5),
            ("what data", 1),
            ("confirm whether process", 1.5),
            ("confirmation whether", 1.5),
            ("request to know", 2),
            ("right to know", 2),
            ("disclose categories", 2),
            ("specific pieces", 2),
        ),
        "de": (
            ("was gespeichert", 1.5),
            ("uber mich gespeichert", 1),
            ("daten uber mich", 1),
            ("*auskunft*", 2),
            ("kopie daten", 1.5),
            ("welche daten", 1.5),
            ("zugang daten", 1.5),
        ),
        "fr": (
            ("quelles donnees", 1.5),
            ("avez sur moi", 1),
            ("droit acces", 2),
            ("acces donnees", 2),
            ("acceder donnees", 2),
            ("demande acces", 2),
            ("copie donnees", 1.5),
            ("communication donnees", 1.5),
        ),
        "es": (
            ("que datos", 1),
            ("teneis sobre mi", 1),
            ("tienen sobre mi", 1),
            ("derecho acceso", 2),
            ("acceso datos", 2),
            ("solicit* acceso", 2),
            ("acced* datos", 1.5),
            ("copia datos", 1.5),
        ),
        "it": (
            ("che dati", 1),
            ("quali dati", 1.5),
            ("avete su di me", 1),
            ("diritto accesso", 2),
            ("accesso dati", 2),
            ("richied* accesso", 2),
            ("acced* dati", 1.5),
            ("copia dati", 1.5),
        ),
        "nl": (
            ("welke gegevens", 1.5),
            ("over mij hebben", 1),
            ("*inzage*", 2),
            ("kopie persoonsgegevens", 1.5),
            ("overzicht persoonsgegevens", 1.5),
        ),
        "pt": (
            ("que dados", 1),
            ("quais dados", 1.5),
            ("tem sobre mim", 1),
            ("direito acesso", 2),
            ("acesso dados", 2),
            ("solicit* acesso", 2),
            ("copia dados", 1.5),
        ),
        "pl": (
            ("otrzym* kopi*", 2),
            ("jakie dane", 1.5),
            ("dostep*", 2),
            ("kopi* danych", 1.5),
            ("informacj* czy przetwarza*", 1.5),
        ),
        "sv": (
            ("vilka uppgifter", 1.5),
            ("har om mig", 1),
            ("*registerutdrag*", 2),
            ("tillgang* personuppgift*", 2),
            ("kopia personuppgift*", 1.5),
        ),
        "da": (
            ("hvilke oplysninger", 1.5),
            ("har om mig", 1),
            ("*indsigt*", 2),
            ("kopi personoplysning*", 1.5),
        ),
        "cs": (
            ("pristup*", 2),
            ("kopi* osobnich udaj*", 1.5),
        ),
    },
    "erasure": {
        "en": (
            ("delete personal data", 2),
            ("delete my data", 2),
            ("delete my account", 2),
            ("delete all", 2),
            ("delete information", 2),
            ("erase", 2),
            ("erasure", 2),
            ("right to be forgotten", 2),
            ("remove my data", 2),
            ("remove personal data", 2),
            ("remove information", 2),
            ("remove my account", 2),
            ("request to delete", 2),
            ("right to delete", 2),
            ("deletion", 2),
        ),
        "de": (
            ("*losch*", 2),
            ("vergessenwerden", 2),
            ("daten entfernen", 1.5),
        ),
        "fr": (
            ("supprim*", 2),
            ("suppression", 2),
            ("effac*", 2),
            ("droit oubli", 2),
        ),
        "es": (
            ("supresion", 2),
            ("suprim*", 2),
            ("borr*", 1.5),
            ("elimin* datos", 2),
            ("derecho olvido", 2),
            ("cancelacion", 1.5),
        ),
        "it": (
            ("cancellazion*", 2),
            ("cancell*", 2),
            ("elimin* dati", 2),
            ("diritto oblio", 2),
        ),
        "nl": (
            ("verwijder*", 2),
            ("*verwijdering*", 2),
            ("gewist", 1.5),
            ("gegevens wis*", 2),
            ("wis* gegevens", 2),
            ("vergetelheid", 2),
        ),
        "pt": (
            ("apagamento", 2),
            ("apag*", 1.5),
            ("eliminacao", 2),
            ("exclusao", 2),
            ("exclu* dados", 2),
            ("direito esquecimento", 2),
        ),
        "pl": (
            ("usun*", 2),
            ("zapomnian*", 2),
            ("skasow*", 1.5),
        ),
        "sv": (
            ("bortglomd", 2),
            ("rader*", 2),
            ("ta bort", 1.5),
            ("bli glomd", 2),
        ),
        "da": (
            ("slet*", 2),
            ("*sletning*", 2),
            ("blive glemt", 2),
        ),
        "cs": (
            ("vymaz*", 2),
            ("odstran*", 1.5),
        ),
    },
    "rectification": {
        "en": (
            ("out of date", 1.5),
            ("update my", 2),
            ("please update", 1.5),
            ("spelled wrong", 1.5),
            ("spelt wrong", 1.5),
            ("misspelled", 1.5),
            ("rectify", 2),
            ("rectification", 2),
            ("correct inaccurate", 2),
            ("correct my", 2),
            ("right to correct", 2),
            ("update my address", 1.5),
            ("is incorrect", 1.5),
            ("is wrong", 1.5),
        ),
        "de": (
            ("berichtig*", 2),
            ("korrigier*", 1.5),
            ("falsch gespeichert", 1.5),
        ),
        "fr": (
            ("rectifi*", 2),
            ("corrig*", 1.5),
        ),
        "es": (
            ("rectifica*", 2),
            ("correg*", 1.5),
        ),
        "it": (
            ("rettific*", 2),
            ("correg*", 1.5),
        ),
        "nl": (
            ("rectific*", 2),
            ("correctie", 2),
            ("verbeter*", 1.5),
        ),
        "pt": (
            ("retifica*", 2),
            ("rectifica*", 2),
            ("correcao", 1.5),
        ),
        "pl": (
            ("sprostow*", 2),
            ("poprawi*", 1.5),
        ),
        "sv": (
            ("rattelse*", 2),
            ("ratta*", 1.5),
        ),
        "da": (
            ("berigtig*", 2),
            ("korriger*", 1.5),
        ),
        "cs": (("oprav*", 1.5),),
    },
    "portability": {
        "en": (
            ("portability", 2),
            ("machine readable", 1.5),
            ("transfer my data", 1.5),
            ("export my data", 1.5),
        ),
        "de": (
            ("*ubertragbarkeit*", 2),
            ("ubertragung* maschinenlesbar*", 2),
            ("maschinenlesbar*", 1.5),
        ),
        "fr": (("portabilit*", 2),),
        "es": (("portabilidad", 2),),
        "it": (("portabilita", 2),),
        "nl": (
            ("*portabiliteit*", 2),
            ("overdraagbaarheid", 2),
        ),
        "pt": (("portabilidade", 2),),
        "pl": (
            ("przenoszeni*", 2),
            ("przenies*", 1.5),
        ),
        "sv": (("*portabilitet*", 2),),
        "da": (("*portabilitet*", 2),),
        "cs": (("prenositeln*", 2),),
    },
    "restriction": {
        "en": (
            ("restrict processing", 2),
            ("restriction of processing", 2),
            ("restrict the processing", 2),
            ("block the processing", 2),
        ),
        "de": (
            ("einschrank* verarbeitung", 2),
            ("verarbeitung einschrank*", 2),
        ),
        "fr": (
            ("limitation traitement", 2),
            ("limiter traitement", 2),
        ),
        "es": (
            ("limitacion tratamiento", 2),
            ("limit* tratamiento", 2),
        ),
        "it": (
            ("limitazione trattamento", 2),
            ("limit* trattamento", 2),
        ),
        "nl": (("beperk* verwerking", 2),),
        "pt": (("limitacao tratamento", 2),),
        "pl": (("ogranicz* przetwarzani*", 2),),
        "sv": (("begransning* behandling", 2),),
        "da": (("begraensning* behandling", 2),),
        "cs": (("omezeni zpracovani", 2),),
    },
    "objection": {
        "en": (
            ("stop ads", 2),
            ("stop advertising", 2),
            ("stop marketing", 2),
            ("!no more ads", 2),
            ("!no more marketing", 2),
            ("direct marketing", 1.5),
            ("object to processing", 2),
            ("object to the processing", 2),
            ("object to the use", 2),
            ("i object", 2),
            ("objection", 2),
            ("right to object", 2),
        ),
        "de": (
            ("!keine werbung", 2),
            ("werbung stopp*", 2),
            ("widersprech*", 2),
            ("widerspruch*", 2),
            ("widerspreche*", 2),
        ),
        "fr": (
            ("!plus pub*", 2),
            ("!plus publicit*", 2),
            ("!pas pub*", 2),
            ("arret* pub*", 2),
            ("prospection commercial*", 1.5),
            ("oppos*", 2),
        ),
        "es": (
            ("!no recib* publicidad", 2),
            ("!mas publicidad", 1.5),
            ("oposicion", 2),
            ("opong*", 2),
            ("oponerme", 2),
        ),
        "it": (
            ("!non ricev* pubblicit*", 2),
            ("!piu pubblicit*", 2),
            ("smett* pubblicit*", 2),
            ("opposizion*", 2),
            ("oppong*", 2),
            ("oppormi", 2),
        ),
        "nl": (
            ("!geen reclame", 2),
            ("stop* reclame", 2),
            ("reclame stop*", 2),
            ("bezwaar", 2),
        ),
        "pt": (
            ("!nao receb* publicidade", 2),
            ("!mais publicidade", 1.5),
            ("par* publicidade", 2),
            ("oposicao", 2),
            ("oponho", 2),
        ),
        "pl": (
            ("!nie otrzym* reklam*", 2),
            ("przesta* reklam*", 2),
            ("!wiecej reklam", 1.5),
            ("sprzeciw*", 2),
        ),
        "sv": (
            ("sluta reklam", 2),
            ("!ingen reklam", 2),
            ("!mer reklam", 1.5),
            ("invand*", 2),
        ),
        "da": (
            ("!ikke reklam*", 2),
            ("!ingen reklam*", 2),
            ("stop* reklam*", 2),
            ("!flere reklam*", 1.5),
            ("indsigelse", 2),
        ),
        "cs": (("namitk*", 2),),
    },
    "automated_decision": {
        "en": (
            ("decided by a computer", 1.5),
            ("person to look", 2),
            ("human to review", 2),
            ("human review", 2),
            ("reviewed by a human", 2),
            ("reviewed by a person", 2),
            ("point of view", 1),
            ("automated decision", 1),
            ("not to be subject", 2),
            ("human intervention", 2),
            ("contest the decision", 2),
        ),
        "de": (
            ("von einem mensch*", 2),
            ("menschlich* uberpruf*", 2),
            ("automatisiert* entscheidung*", 1),
            ("menschlich* eingreif*", 2),
        ),
        "fr": (
            ("par un humain", 2),
            ("par une personne", 1.5),
            ("reexamen humain", 2),
            ("decision* automatis*", 1),
            ("intervention humaine", 2),
        ),
        "es": (
            ("revision humana", 2),
            ("una persona revis*", 2),
            ("decision* automatizad*", 1),
            ("intervencion humana", 2),
        ),
        "it": (
            ("revisione umana", 2),
            ("una persona riesamin*", 2),
            ("da una persona", 1.5),
            ("decision* automatizzat*", 1),
            ("intervento umano", 2),
        ),
        "nl": (
            ("menselijke beoordeling", 2),
            ("een mens", 1.5),
            ("geautomatiseerd* besluit*", 1),
            ("menselijke tussenkomst", 2),
        ),
        "pt": (
            ("revisao humana", 2),
            ("uma pessoa", 1),
            ("decis* automatizad*", 1),
            ("intervencao humana", 2),
        ),
        "pl": (
            ("interwencj* czlowieka", 2),
            ("przez czlowieka", 2),
            ("zautomatyzowan*", 1),
        ),
        "sv": (
            ("mansklig* inblandning", 2),
            ("en manniska", 1.5),
            ("automatiserat* beslut*", 1),
        ),
        "da": (
            ("menneskelig* indgriben", 2),
            ("et menneske", 1.5),
            ("automatisk* afgorelse*", 1),
        ),
        "cs": (("automatizovan*", 1),),
    },
    "withdraw_consent": {
        "en": (
            ("withdraw consent", 3),
            ("withdraw my consent", 3),
            ("revoke consent", 3),
            ("revoke my consent", 3),
            ("unsubscribe", 2),
            ("stop sending", 2),
            ("remove me from mailing", 2),
        ),
        "de": (
            ("einwilligung* widerruf*", 3),
            ("widerruf* einwilligung*", 3),
            ("widerrufe*", 1.5),
            ("abmelden", 1.5),
            ("abbestell*", 2),
        ),
        "fr": (
            ("retir* consentement", 3),
            ("revoqu* consentement", 3),
            ("desabonn*", 2),
            ("desinscri*", 2),
        ),
        "es": (
            ("retir* consentimiento", 3),
            ("revoc* consentimiento", 3),
            ("dar* baja", 2),
        ),
        "it": (
            ("revoc* consenso", 3),
            ("ritir* consenso", 3),
            ("disiscriv*", 2),
        ),
        "nl": (
            ("toestemming* in*trek*", 3),
            ("intrek* toestemming*", 3),
            ("trek* toestemming*", 3),
            ("afmeld*", 2),
            ("uitschrijv*", 2),
        ),
        "pt": (
            ("retir* consentimento", 3),
            ("revog* consentimento", 3),
            ("descadastr*", 2),
        ),
        "pl": (
            ("cof* zgod*", 3),
            ("wycof* zgod*", 3),
            ("wypis*", 1.5),
        ),
        "sv": (
            ("aterkall* samtycke", 3),
            ("avregistrer*", 1.5),
        ),
        "da": (
            ("tilbagekald* samtykke", 3),
            ("samtykke* tilbage", 2),
            ("afmeld*", 2),
        ),
        "cs": (("odvol* souhlas*", 3),),
    },
    "complaint": {
        "en": (
            ("formal complaint", 2),
            ("i want to complain", 2),
            ("i am complaining", 2),
            ("complaint", 1),
        ),
        "de": (("beschwer*", 1),),
        "fr": (("plainte", 1),),
        "es": (("queja", 1),),
        "it": (("reclamo", 1),),
        "nl": (("klacht*", 1),),
        "pt": (("queixa", 1),),
        "pl": (("skarg*", 1),),
        "sv": (("klagomal", 1),),
        "da": (("klage*", 1),),
        "cs": (("stiznost*", 1),),
    },
    "opt_out_sale_sharing": {
        "en": (
            ("do not sell", 3),
            ("do not share", 2),
            ("don t sell", 3),
            ("opt out of the sale", 3),
            ("opt out sale", 3),
            ("opt out selling", 3),
            ("opt out sharing", 3),
            ("stop selling", 3),
            ("opt out", 1),
        ),
    },
    "limit_sensitive_pi": {
        "en": (
            ("limit use sensitive", 3),
            ("limit the use of my sensitive", 3),
        ),
    },
    "opt_out_targeted_advertising": {
        "en": (("opt out targeted advertising", 3),),
    },
    "opt_out_profiling": {
        "en": (("opt out profiling", 3),),
    },
    "appeal": {
        "en": (
            ("appeal your decision", 3),
            ("appeal the decision", 3),
            ("appeal the denial", 3),
        ),
    },
}

# Words that turn down the phrase just after them: "I do not want a copy" asks for no copy.
# Folded (no accents); "t" is what the word pattern leaves of English "don't", "doesn't".
NEGATIONS: dict[str, tuple[str, ...]] = {
    "en": ("not", "no", "never", "t", "dont", "without"),
    "de": ("nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals"),
    "fr": ("ne", "n", "pas", "jamais", "aucun", "aucune"),
    "es": ("no", "nunca", "ningun", "ninguna", "ni"),
    "it": ("non", "mai", "nessun", "nessuno", "nessuna"),
    "nl": ("niet", "geen", "nooit"),
    "pt": ("nao", "nunca", "nenhum", "nenhuma", "nem"),
    "pl": ("nie", "nigdy", "zaden", "zadnej", "zadnych"),
    "sv": ("inte", "ej", "ingen", "inget", "inga", "aldrig"),
    "da": ("ikke", "ingen", "intet", "aldrig"),
    "cs": ("ne", "nechci", "nikdy"),
}

# A letter about the writer's own personal data, in each language (folded: lower case, no
# accents; regular expressions matched on word boundaries). One of them, with no right named,
# sends the letter to a person: it is plausibly a request ("what do you do with the
# information about me?"); a letter with none ("what are your opening hours?") gets the list
# of rights and the page.
OWN_DATA: tuple[str, ...] = (
    # en
    r"(?:information|data|details|records?)\s+(?:\w+\s+){0,3}(?:about|on|of|concerning)\s+me",
    r"my\s+(?:own\s+)?(?:personal\s+)?(?:data|information|info|details|records?)",
    r"my\s+(?:mobile\s+|cell\s+|tele)?(?:phone\s+)?number",
    r"my\s+(?:e-?mail|home|postal)\s+address",
    # de
    r"meine[nmr]?\s+(?:personenbezogenen\s+)?(?:daten|informationen|angaben)",
    r"(?:daten|informationen|angaben)\s+(?:\w+\s+){0,3}(?:uber|zu)\s+(?:mich|meiner\s+person)",
    r"meine[nr]?\s+(?:telefon|handy|mobil)?nummer|meine[nr]?\s+(?:e-?mail-?)?adresse",
    # fr
    r"mes\s+(?:donnees|informations|coordonnees)|(?:donnees|informations)\s+me\s+concernant",
    r"mon\s+(?:numero|adresse)",
    # es
    r"mis\s+datos|mi\s+informacion|datos\s+(?:\w+\s+){0,2}sobre\s+mi|mi\s+(?:numero|direccion)",
    # it
    r"(?:i\s+)?miei\s+dati|(?:le\s+)?mie\s+informazioni|dati\s+che\s+mi\s+riguardano",
    r"(?:il\s+)?mio\s+(?:numero|indirizzo)",
    # nl
    r"mijn\s+(?:persoons)?gegevens|gegevens\s+over\s+mij|mijn\s+(?:telefoon)?nummer",
    # pt
    r"(?:os\s+)?meus\s+dados|minhas\s+informacoes|dados\s+sobre\s+mim|meu\s+(?:numero|endereco)",
    # pl
    r"moje\s+dane|moich\s+danych|moim\s+numerem|moj\s+numer",
    # sv, da
    r"mina\s+(?:person)?uppgifter|uppgifter\s+om\s+mig|mitt\s+telefonnummer",
    r"mine\s+(?:person)?oplysninger|oplysninger\s+om\s+mig|mit\s+telefonnummer",
    # cs
    r"(?:moje|mych|me)\s+(?:osobni\s+|osobnich\s+)?(?:udaje|udaju|data)|me\s+telefonni\s+cislo",
)

# The laws people cite, and which right each article grants. A citation is a strong signal.
LAW_NAMES: tuple[str, ...] = (
    "gdpr",
    "dsgvo",
    "ds gvo",
    "rgpd",
    "avg",
    "rodo",
    "2016 679",
    "dataskyddsforordningen",
    "databeskyttelsesforordningen",
    "obecneho narizeni",
    "gdpr",
    "regolamento",
    "reglamento",
    "regulamento",
)
ARTICLE_RIGHTS: dict[str, str] = {
    "15": "access",
    "16": "rectification",
    "17": "erasure",
    "18": "restriction",
    "20": "portability",
    "21": "objection",
    "22": "automated_decision",
}
CCPA_SECTIONS: dict[str, str] = {
    "100": "access",
    "110": "access",
    "115": "access",
    "105": "erasure",
    "106": "rectification",
    "120": "opt_out_sale_sharing",
    "121": "limit_sensitive_pi",
}

# A line that lists what an access answer must say (GDPR Art. 15(1)(a)-(h)) mentions other
# rights without asking for them: "the existence of the right to request rectification or
# erasure", "the existence of automated decision-making, including profiling".
INFO_LIST_STRONG: tuple[str, ...] = (
    "existence",
    "bestehen",
    "existencia",
    "esistenza",
    "bestaan",
    "istnieni",
    "forekomst",
    "eksistens",
    "existenc",
    "logic",
    "logik",
    "logique",
    "logica",
    "logiki",
    "envisaged period",
    "speicherdauer",
    "duree de conservation",
    "plazo de conservacion",
    "periodo di conservazione",
    "bewaartermijn",
    "prazo de conservacao",
    "okres przechowywania",
)
INFO_LIST_WEAK: tuple[str, ...] = (
    "purpose",
    "recipient",
    "retention",
    "source",
    "categor",
    "zweck",
    "empfanger",
    "herkunft",
    "kategorie",
    "finalit",
    "destinatai",
    "destinatar",
    "destinatari",
    "origen",
    "origine",
    "origem",
    "doeleinde",
    "ontvanger",
    "herkomst",
    "finalidad",
    "finalidade",
    "odbiorc",
    "zrodl",
    "kategori",
    "andamal",
    "mottagar",
    "formal",
    "modtager",
    "kilde",
    "ucel",
    "prijemc",
)

# Naming a regulator is how templates threaten a complaint to it, not a complaint to us.
AUTHORITY_WORDS: tuple[str, ...] = (
    "supervisory authority",
    "data protection authority",
    "regulator",
    "information commissioner",
    "ico",
    "attorney general",
    "privacy protection agency",
    "aufsichtsbehorde",
    "datenschutzbehorde",
    "datenschutzbeauftragte",
    "autorite de controle",
    "cnil",
    "autoridad de control",
    "aepd",
    "agencia espanola",
    "garante",
    "autorita di controllo",
    "autoriteit persoonsgegevens",
    "toezichthouder",
    "cnpd",
    "anpd",
    "autoridade de controlo",
    "uodo",
    "prezesa urzedu",
    "organ nadzorczy",
    "organu nadzorczego",
    "imy",
    "integritetsskyddsmyndigheten",
    "tillsynsmyndighet",
    "datatilsynet",
    "tilsynsmyndighed",
    "uoou",
    "dozorovy",
    "authority",
    "behorde",
)
