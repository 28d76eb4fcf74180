"""Letters in Dutch, Polish, Swedish and Danish, written from public request templates (see
each `source`), filled with made-up people. Read by build_corpus.py."""

from __future__ import annotations

CONSUMENTENBOND = (
    "https://www.consumentenbond.nl/internet-privacy/een-inzageverzoek-doen-stap-voor-stap"
)
AP = "https://www.autoriteitpersoonsgegevens.nl/vraag-van-de-maand/ik-wil-weten-welke-gegevens-een-organisatie-van-mij-heeft-hoe-moet-de-organisatie-mij-dat-laten-zien"
WIJDOENDATZO = "https://wijdoendatzo.wordpress.com/98-voorbeeld-avg-verzoek/"
WYDERKIEWICZ = "https://wyderkiewicz.pl/content/5-wniosek-usuniecie-danych"
PISMARODO = "https://pismarodo.pages.dev/rodo/usuniecie-danych-art-17"
WONDER_PL = "https://www.wonder.legal/pl/modele/wniosek-usuniecie-danych-osobowych"
IMY = "https://www.imy.se/vagledningar/for-dig-som-privatperson/registerutdrag-och-rattelser/"
OKFORLAGET = "https://www.okforlaget.se/utdrag/"
TIETOSUOJA = "http://www.tietosuoja.fi/sv/index/materiaalia/lomakkeet/tarkastuspyyntojakorjaamisvaatimus.html"
WEFRI = "https://wefri.dk/indsigtsanmodning/"
EGMONT = "https://persondata.storyhouseegmont.dk/hc/da/articles/360004427833-Hvordan-virker-det"

LETTERS = [
    # ------------------------------------------------------------------ Dutch
    dict(
        id="nl_inzageverzoek",
        language="nl",
        rights=["access"],
        source=CONSUMENTENBOND,
        sender="Sanne de Vries <sanne.devries@example.nl>",
        subject="Inzageverzoek",
        body="""Geachte heer/mevrouw,

Op grond van artikel 15 van de Algemene Verordening Gegevensbescherming (AVG) verzoek ik u mij een overzicht te sturen van mijn persoonsgegevens die u verwerkt, met de doeleinden, de ontvangers, de bewaartermijn en de herkomst van de gegevens.

Ik ontvang graag binnen een maand een reactie. Een kopie van mijn identiteitsbewijs is afgeschermd bijgevoegd.

Met vriendelijke groet,
Sanne de Vries""",
    ),
    dict(
        id="nl_verwijderen",
        language="nl",
        rights=["erasure"],
        source=AP,
        sender="Daan Jansen <daan.jansen@example.nl>",
        subject="Verzoek tot verwijdering",
        body="""Geachte heer/mevrouw,

Ik verzoek u op grond van artikel 17 AVG al mijn persoonsgegevens te verwijderen.

Mocht u niet reageren, dan dien ik een klacht in bij de Autoriteit Persoonsgegevens.

Met vriendelijke groet,
Daan Jansen""",
    ),
    dict(
        id="nl_bezwaar_intrekken",
        language="nl",
        rights=["withdraw_consent", "objection"],
        source=WIJDOENDATZO,
        sender="Femke Bakker <femke.bakker@example.nl>",
        subject="Bezwaar en intrekking toestemming",
        body="""Geachte heer/mevrouw,

Hierbij trek ik mijn toestemming voor het verwerken van mijn gegevens in. Daarnaast maak ik bezwaar tegen het gebruik van mijn gegevens voor direct marketing (artikel 21 AVG).

Met vriendelijke groet,
Femke Bakker""",
    ),
    dict(
        id="nl_correctie",
        language="nl",
        rights=["rectification"],
        source=AP,
        sender="Bram Visser <bram.visser@example.nl>",
        subject="Correctie van mijn gegevens",
        body="""Geachte heer/mevrouw,

Mijn adres klopt niet in uw administratie. Ik verzoek u om rectificatie op grond van artikel 16 AVG: mijn juiste adres is Keizersgracht 100, 1015 AA Amsterdam.

Bram Visser""",
    ),
    dict(
        id="nl_inzage_dataportabiliteit",
        language="nl",
        rights=["access", "portability"],
        source=CONSUMENTENBOND,
        sender="Lotte Smit <lotte.smit@example.nl>",
        subject="Inzage en dataportabiliteit",
        body="""Beste,

Ik wil graag inzage in mijn persoonsgegevens en ik vraag om dataportabiliteit: stuur mij de gegevens die ik heb verstrekt in een gestructureerd en machineleesbaar formaat.

Groet,
Lotte Smit""",
    ),
    dict(
        id="nl_afmelden",
        language="nl",
        rights=["withdraw_consent"],
        source=WIJDOENDATZO,
        sender="Ruben Mulder <ruben.mulder@example.nl>",
        subject="Afmelden nieuwsbrief",
        body="""Graag wil ik mij afmelden voor uw nieuwsbrief.

Ruben Mulder""",
    ),
    dict(
        id="nl_beperking",
        language="nl",
        rights=["restriction"],
        source=AP,
        sender="Eva Dekker <eva.dekker@example.nl>",
        subject="Beperking van de verwerking",
        body="""Geachte heer/mevrouw,

Ik verzoek om beperking van de verwerking van mijn persoonsgegevens op grond van artikel 18 AVG, zolang de juistheid ervan wordt gecontroleerd.

Eva Dekker""",
    ),
    dict(
        id="nl_verwijderen_kort",
        language="nl",
        rights=["erasure"],
        source=CONSUMENTENBOND,
        sender="Tim Bos <tim.bos@example.nl>",
        subject="Mijn account",
        body="""Hallo, wilt u mijn account en al mijn gegevens verwijderen? Dank u.

Tim Bos""",
    ),
    # ------------------------------------------------------------------ Polish
    dict(
        id="pl_usuniecie",
        language="pl",
        rights=["erasure"],
        source=WYDERKIEWICZ,
        sender="Katarzyna Nowak <katarzyna.nowak@example.pl>",
        subject="Wniosek o usunięcie danych osobowych",
        body="""Szanowni Państwo,

na podstawie art. 17 RODO żądam niezwłocznego usunięcia moich danych osobowych przetwarzanych przez Państwa firmę (prawo do bycia zapomnianym).

W przypadku braku odpowiedzi zwrócę się do Prezesa Urzędu Ochrony Danych Osobowych.

Z poważaniem
Katarzyna Nowak""",
    ),
    dict(
        id="pl_dostep",
        language="pl",
        rights=["access"],
        source=WONDER_PL,
        sender="Piotr Wiśniewski <piotr.wisniewski@example.pl>",
        subject="Wniosek o dostęp do danych",
        body="""Szanowni Państwo,

na podstawie art. 15 RODO zwracam się z prośbą o udzielenie informacji, czy przetwarzają Państwo moje dane osobowe, oraz o przekazanie kopii tych danych.

Z poważaniem
Piotr Wiśniewski""",
    ),
    dict(
        id="pl_sprzeciw_cofniecie",
        language="pl",
        rights=["withdraw_consent", "objection"],
        source=PISMARODO,
        sender="Agnieszka Wójcik <agnieszka.wojcik@example.pl>",
        subject="Cofnięcie zgody i sprzeciw",
        body="""Szanowni Państwo,

cofam zgodę na przetwarzanie moich danych osobowych w celach marketingowych oraz wnoszę sprzeciw wobec przetwarzania moich danych na podstawie art. 21 RODO.

Agnieszka Wójcik""",
    ),
    dict(
        id="pl_sprostowanie",
        language="pl",
        rights=["rectification"],
        source=WONDER_PL,
        sender="Tomasz Kamiński <tomasz.kaminski@example.pl>",
        subject="Wniosek o sprostowanie danych",
        body="""Szanowni Państwo,

proszę o sprostowanie moich danych: mój prawidłowy adres to ul. Długa 5, 00-238 Warszawa.

Tomasz Kamiński""",
    ),
    dict(
        id="pl_przenoszenie",
        language="pl",
        rights=["portability"],
        source=PISMARODO,
        sender="Magdalena Lewandowska <magdalena.lewandowska@example.pl>",
        subject="Prawo do przenoszenia danych",
        body="""Szanowni Państwo,

na podstawie art. 20 RODO wnoszę o przekazanie moich danych w ustrukturyzowanym formacie (prawo do przenoszenia danych).

Magdalena Lewandowska""",
    ),
    dict(
        id="pl_ograniczenie",
        language="pl",
        rights=["restriction"],
        source=WYDERKIEWICZ,
        sender="Paweł Zieliński <pawel.zielinski@example.pl>",
        subject="Ograniczenie przetwarzania",
        body="""Szanowni Państwo,

żądam ograniczenia przetwarzania moich danych osobowych na podstawie art. 18 RODO do czasu wyjaśnienia ich prawidłowości.

Paweł Zieliński""",
    ),
    dict(
        id="pl_dostep_usuniecie",
        language="pl",
        rights=["access", "erasure"],
        source=PISMARODO,
        sender="Joanna Szymańska <joanna.szymanska@example.pl>",
        subject="Dostęp do danych i ich usunięcie",
        body="""Dzień dobry,

proszę o kopię moich danych osobowych (art. 15 RODO), a następnie o ich usunięcie (art. 17 RODO).

Joanna Szymańska""",
    ),
    dict(
        id="pl_wypisanie",
        language="pl",
        rights=["withdraw_consent"],
        source=WONDER_PL,
        sender="Marek Dąbrowski <marek.dabrowski@example.pl>",
        subject="Newsletter",
        body="""Proszę o wypisanie mnie z newslettera, cofam zgodę na otrzymywanie wiadomości.

Marek Dąbrowski""",
    ),
    # ------------------------------------------------------------------ Swedish
    dict(
        id="sv_registerutdrag",
        language="sv",
        rights=["access"],
        source=IMY,
        sender="Erik Lindqvist <erik.lindqvist@example.se>",
        subject="Begäran om registerutdrag",
        body="""Hej,

Jag begär härmed ett registerutdrag enligt artikel 15 i dataskyddsförordningen. Jag vill veta vilka personuppgifter ni behandlar om mig, ändamålen med behandlingen och varifrån uppgifterna kommer.

Med vänliga hälsningar
Erik Lindqvist""",
    ),
    dict(
        id="sv_radering",
        language="sv",
        rights=["erasure"],
        source=OKFORLAGET,
        sender="Anna Berg <anna.berg@example.se>",
        subject="Radering av personuppgifter",
        body="""Hej,

Jag vill att ni raderar alla mina personuppgifter enligt artikel 17 i dataskyddsförordningen.

Om jag inte får svar kommer jag att kontakta Integritetsskyddsmyndigheten.

Anna Berg""",
    ),
    dict(
        id="sv_rattelse",
        language="sv",
        rights=["rectification"],
        source=TIETOSUOJA,
        sender="Lars Holm <lars.holm@example.se>",
        subject="Begäran om rättelse",
        body="""Hej,

Min adress är felaktig i ert register. Jag begär rättelse: rätt adress är Storgatan 7, 411 38 Göteborg.

Lars Holm""",
    ),
    dict(
        id="sv_invandning_aterkallelse",
        language="sv",
        rights=["withdraw_consent", "objection"],
        source=IMY,
        sender="Karin Ek <karin.ek@example.se>",
        subject="Invändning mot direktmarknadsföring",
        body="""Hej,

Jag återkallar mitt samtycke och gör invändning mot att ni behandlar mina personuppgifter för direktmarknadsföring (artikel 21 dataskyddsförordningen).

Karin Ek""",
    ),
    dict(
        id="sv_dataportabilitet",
        language="sv",
        rights=["portability"],
        source=IMY,
        sender="Oskar Nyberg <oskar.nyberg@example.se>",
        subject="Dataportabilitet",
        body="""Hej,

Jag begär dataportabilitet enligt artikel 20: skicka mig de uppgifter jag lämnat i ett strukturerat, maskinläsbart format.

Oskar Nyberg""",
    ),
    dict(
        id="sv_begransning",
        language="sv",
        rights=["restriction"],
        source=TIETOSUOJA,
        sender="Maria Sjöberg <maria.sjoberg@example.se>",
        subject="Begränsning av behandling",
        body="""Hej,

Jag begär begränsning av behandlingen av mina personuppgifter enligt artikel 18 medan uppgifternas riktighet kontrolleras.

Maria Sjöberg""",
    ),
    dict(
        id="sv_utdrag_radering",
        language="sv",
        rights=["access", "erasure"],
        source=OKFORLAGET,
        sender="Johan Strand <johan.strand@example.se>",
        subject="Registerutdrag och borttagning",
        body="""Hej,

Jag vill ha ett registerutdrag och därefter att ni raderar mina uppgifter ur era register.

Johan Strand""",
    ),
    dict(
        id="sv_ta_bort_kort",
        language="sv",
        rights=["erasure"],
        source=OKFORLAGET,
        sender="Sofia Lund <sofia.lund@example.se>",
        subject="Ta bort mig",
        body="""Hej! Vänligen ta bort alla mina uppgifter ur ert register. Tack.

Sofia Lund""",
    ),
    # ------------------------------------------------------------------ Danish
    dict(
        id="da_indsigt",
        language="da",
        rights=["access"],
        source=WEFRI,
        sender="Mette Nielsen <mette.nielsen@example.dk>",
        subject="Anmodning om indsigt",
        body="""Kære modtager,

Jeg anmoder hermed om indsigt i de personoplysninger, I behandler om mig, jf. databeskyttelsesforordningens artikel 15, herunder formålet med behandlingen og hvem der har adgang til oplysningerne.

Med venlig hilsen
Mette Nielsen""",
    ),
    dict(
        id="da_sletning",
        language="da",
        rights=["erasure"],
        source=EGMONT,
        sender="Rasmus Jensen <rasmus.jensen@example.dk>",
        subject="Anmodning om sletning",
        body="""Hej,

Jeg anmoder om sletning af alle mine personoplysninger, jf. artikel 17 i databeskyttelsesforordningen.

Hvis I ikke svarer, klager jeg til Datatilsynet.

Rasmus Jensen""",
    ),
    dict(
        id="da_berigtigelse",
        language="da",
        rights=["rectification"],
        source=EGMONT,
        sender="Line Hansen <line.hansen@example.dk>",
        subject="Berigtigelse af oplysninger",
        body="""Hej,

Min adresse er forkert hos jer. Jeg beder om berigtigelse: den rigtige adresse er Nørregade 3, 1165 København K.

Line Hansen""",
    ),
    dict(
        id="da_indsigelse_samtykke",
        language="da",
        rights=["withdraw_consent", "objection"],
        source=EGMONT,
        sender="Jesper Larsen <jesper.larsen@example.dk>",
        subject="Tilbagekaldelse af samtykke og indsigelse",
        body="""Hej,

Jeg tilbagekalder mit samtykke og gør indsigelse mod, at I bruger mine oplysninger til direkte markedsføring.

Jesper Larsen""",
    ),
    dict(
        id="da_dataportabilitet",
        language="da",
        rights=["portability"],
        source=WEFRI,
        sender="Sofie Pedersen <sofie.pedersen@example.dk>",
        subject="Dataportabilitet",
        body="""Hej,

Jeg ønsker at gøre brug af retten til dataportabilitet og modtage mine oplysninger i et struktureret, maskinlæsbart format.

Sofie Pedersen""",
    ),
    dict(
        id="da_begraensning",
        language="da",
        rights=["restriction"],
        source=EGMONT,
        sender="Anders Christensen <anders.christensen@example.dk>",
        subject="Begrænsning af behandling",
        body="""Hej,

Jeg anmoder om begrænsning af behandlingen af mine personoplysninger, mens rigtigheden undersøges.

Anders Christensen""",
    ),
    dict(
        id="da_indsigt_sletning",
        language="da",
        rights=["access", "erasure"],
        source=WEFRI,
        sender="Camilla Andersen <camilla.andersen@example.dk>",
        subject="Indsigt og sletning",
        body="""Hej,

Jeg vil gerne have indsigt i mine oplysninger og derefter have dem slettet.

Camilla Andersen""",
    ),
    dict(
        id="da_afmeld",
        language="da",
        rights=["withdraw_consent"],
        source=EGMONT,
        sender="Mikkel Olsen <mikkel.olsen@example.dk>",
        subject="Afmeld nyhedsbrev",
        body="""Afmeld mig venligst jeres nyhedsbrev.

Mikkel Olsen""",
    ),
]
