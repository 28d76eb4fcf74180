"""Letters in English and German, written from public request templates (see each `source`),
filled with made-up people. Read by build_corpus.py."""

from __future__ import annotations

ICO = "https://ico.org.uk/your-data-matters/your-right-to-get-copies-of-your-data/preparing-and-submitting-your-subject-access-request/"
MICHAEL = "https://michae.lv/access-template/amp/?__twitter_impression=true"
BBW = "https://docsbay.net/insert-organisation-address-if-applicable"
GERA = "https://tools.gera.services/gdpr-dsar-letter-builder"
OPTOUT = "https://github.mosekj.com/troy/simpleoptout/pull/20/files"
TERMS = "https://terms.law/Demand-Letters/IP-Content/california-ccpa-data-privacy-demand.html"
E2E = "https://www.e2encrypted.com/posts/how-to-exercise-your-ccpa-rights/"
SYSADMIN = "https://sysadmin102.com/2024/01/california-consumer-privacy-act-ccpa/"
PERSONALDATA = (
    "https://wiki.personaldata.io/w/index.php?title=Template:AccessFR&diff=94984&oldid=94055"
)
BFDI = "https://www.bfdi.bund.de/DE/Buerger/Mustertexte/Zwischenordner-f%C3%BCr-Mustertexte/Mustertexte_Allgemein.html"
LUDIKOVSKY = "https://ludikovsky.name/blog/dsgvo-vorlage-gdpr-template.html"
DSGVO_VORLAGEN = (
    "https://dsgvo-vorlagen.de/auskunftsrecht-betroffener-dsgvo-anfrage-art-15-auskunft"
)
DATENRECHT = "https://datenrecht.academy/themen/betroffenenrechte/einzelne-rechte/recht-auf-auskunft-artikel-15-dsgvo.php"

LETTERS = [
    dict(
        id="en_ico_sar",
        language="en",
        rights=["access"],
        jurisdiction="GB",
        source=ICO,
        sender="Harriet Vale <harriet.vale@example.co.uk>",
        subject="Subject access request",
        body="""Dear Sir or Madam

Subject access request

Harriet Vale, 14 Mill Lane, Leeds LS2 7AB, customer number 55-2210.

Please supply the personal data you hold about me, which I am entitled to receive under data protection law, held in:
- my customer account and order history
- emails between me and your support team between 1 March and 30 June

If you need any more information from me, please let me know as soon as possible.

It may be helpful for you to know that data protection law requires you to respond to a request for personal data within one calendar month.

If you do not normally deal with these requests, please pass this letter to your data protection officer or relevant staff member.

If you need advice on dealing with this request, the Information Commissioner's Office can assist you. Its website is ico.org.uk, or it can be contacted on 0303 123 1113.

Yours faithfully
Harriet Vale""",
    ),
    dict(
        id="en_dsar_full",
        language="en",
        rights=["access"],
        source=MICHAEL,
        sender="Owen Pryce <owen.pryce@example.net>",
        subject="Data subject access request under Article 15 GDPR",
        body="""Dear Data Protection Officer,

I am writing to make a request for access to my personal data under Article 15 of the General Data Protection Regulation (GDPR).

Please provide me with a copy of all personal data you hold about me, and the following information:
1. the purposes of the processing;
2. the categories of personal data concerned;
3. the recipients or categories of recipient to whom the personal data have been or will be disclosed, in particular recipients in third countries;
4. the envisaged period for which the personal data will be stored, or the criteria used to determine that period;
5. the existence of the right to request rectification or erasure of personal data or restriction of processing or to object to such processing;
6. the right to lodge a complaint with a supervisory authority;
7. where the personal data are not collected from me, any available information as to their source;
8. the existence of automated decision-making, including profiling, and meaningful information about the logic involved.

Please provide the data in a commonly used electronic form. I look forward to your reply within one month, as required by Article 12(3).

Kind regards,
Owen Pryce""",
    ),
    dict(
        id="en_bbw_sar",
        language="en",
        rights=["access"],
        source=BBW,
        sender="Nadia Okafor <nadia.okafor@example.org>",
        subject="Re: Nadia Okafor, 3 Harbour Row, Bristol",
        body="""To the data compliance and protection team,

I am writing to make a subject access request for any personal information you hold about me, including my loyalty card records and CCTV images from your Cabot Circus store on 23 May between 11am and 5pm.

My loyalty card number is 4410 2233 9981.

Please inform me, prior to processing this request, if you require anything further. I would be grateful if you could confirm this request by email as soon as possible.

Yours faithfully,
Nadia Okafor""",
    ),
    dict(
        id="en_gera_access_portability",
        language="en",
        rights=["access", "portability"],
        source=PERSONALDATA,
        sender="Felix Hartmann <felix.hartmann@example.com>",
        subject="Transparency request",
        body="""Dear Sir or Madam,

This is a transparency request under the General Data Protection Regulation, including a subject access request and a portability request.

I would like to request a copy of all my personal data held and/or undergoing processing. This is both a subject access request and a portability request: please provide the data I provided to you in a structured, commonly used and machine-readable format (Article 20 GDPR).

Please note that it is not legal to require data subjects to use an in-house form.

Best regards,
Felix Hartmann""",
    ),
    dict(
        id="en_erasure_withdraw_object",
        language="en",
        rights=["withdraw_consent", "objection", "erasure"],
        jurisdiction="GB",
        source=GERA,
        sender="Imogen Clarke <imogen.clarke@example.co.uk>",
        subject="Erasure request - Article 17 UK GDPR",
        body="""Dear Data Protection Officer,

I am withdrawing my consent to any processing of my personal data that is based on consent, and I object to the processing of my personal data for direct marketing under Article 21 UK GDPR.

I also request that you erase all personal data you hold about me without undue delay, under Article 17 of the UK GDPR.

Please confirm in writing once this has been done. If you do not respond within one month, I may lodge a complaint with the Information Commissioner's Office.

Yours sincerely,
Imogen Clarke""",
    ),
    dict(
        id="en_ccpa_know_delete_optout",
        language="en",
        rights=["opt_out_sale_sharing", "access", "erasure"],
        jurisdiction="US-CA",
        source=TERMS,
        sender="Dana Whitfield <dana.whitfield@example.com>",
        subject="CCPA request to know, request to delete and opt out",
        body="""To whom it may concern,

I am a California resident. Under the California Consumer Privacy Act (Civil Code 1798.100 and 1798.110), please disclose to me the categories and specific pieces of personal information you have collected about me, the sources, the business purposes and the categories of third parties with whom you share it.

Under Civil Code 1798.105, I also request that you delete the personal information you have collected from me and direct your service providers to do the same.

Finally, do not sell or share my personal information (Civil Code 1798.120).

If you deny any part of this request, tell me why. I may file a complaint with the Attorney General.

Dana Whitfield""",
    ),
    dict(
        id="en_ccpa_do_not_sell",
        language="en",
        rights=["opt_out_sale_sharing"],
        jurisdiction="US-CA",
        source=OPTOUT,
        sender="Marcus Bell <marcus.bell@example.com>",
        subject="Do Not Sell or Share My Info",
        body="""I'd like to make a request under CCPA/CPRA to opt out of the sale and sharing of personal information.

Marcus Bell""",
    ),
    dict(
        id="en_ccpa_correct",
        language="en",
        rights=["rectification"],
        jurisdiction="US-CA",
        source=OPTOUT,
        sender="Rosa Delgado <rosa.delgado@example.com>",
        subject="Request to correct (right to correct) under CCPA",
        body="""I'd like to make a request under CCPA/CPRA to correct inaccurate personal information: please update my phone number to +1 415 555 0182, the one on file is wrong.

Rosa Delgado""",
    ),
    dict(
        id="de_bfdi_auskunft",
        language="de",
        rights=["access"],
        source=BFDI,
        sender="Jonas Krüger <jonas.krueger@example.de>",
        subject="Auskunftsersuchen nach Art. 15 DSGVO",
        body="""Sehr geehrte Damen und Herren,

bitte erteilen Sie mir gemäß Art. 15 DSGVO Auskunft über
- die zu meiner Person von Ihnen verarbeiteten Daten und deren Kategorien,
- den Zweck der Verarbeitung,
- Empfänger bzw. Empfängerkategorien, gegenüber denen die personenbezogenen Daten offengelegt worden sind,
- die Speicherdauer soweit möglich; anderenfalls die Kriterien zur Festlegung dieser Dauer,
- die Herkunft der Daten, soweit sie nicht bei mir erhoben wurden,
- das Bestehen einer automatisierten Entscheidungsfindung einschließlich Profiling gemäß Art. 22 Absätze 1 und 4 DSGVO und aussagekräftige Informationen über die involvierte Logik,
- das Beschwerderecht bei einer Datenschutzaufsichtsbehörde,
- ggf. bestehende Rechte auf Löschung, Berichtigung, Einschränkung der Verarbeitung oder Widerspruch.

Ich bitte Sie, die Auskunft unverzüglich zu erteilen, spätestens aber innerhalb eines Monats (Art. 12 Abs. 3 S. 1 DSGVO).

Mit freundlichen Grüßen
Jonas Krüger
Kundennummer 88213""",
    ),
    dict(
        id="de_ludikovsky",
        language="de",
        rights=["access"],
        source=LUDIKOVSKY,
        sender="Lena Hofer <lena.hofer@example.at>",
        subject="DSGVO Auskunft",
        body="""Sehr geehrte Damen und Herren!

Hiermit fordere ich Sie auf, mir Auskunft über die zu meiner Person gespeicherten und verarbeiteten Daten gemäß Art. 15 DSGVO zu geben.

Meine Daten:
Lena Hofer, Lindengasse 4, 1070 Wien

Ich ersuche Sie außerdem um eine Kopie der gespeicherten Daten.

Mit freundlichen Grüßen
Lena Hofer""",
    ),
    dict(
        id="de_loeschung",
        language="de",
        rights=["erasure"],
        source=DSGVO_VORLAGEN,
        sender="Tobias Brandt <tobias.brandt@example.de>",
        subject="Antrag auf Löschung meiner personenbezogenen Daten nach Art. 17 DSGVO",
        body="""Sehr geehrte Damen und Herren,

hiermit fordere ich Sie auf, sämtliche mich betreffenden personenbezogenen Daten gemäß Art. 17 DSGVO unverzüglich zu löschen.

Bitte bestätigen Sie mir die Löschung schriftlich. Sollten Sie meiner Aufforderung nicht nachkommen, behalte ich mir vor, mich an die zuständige Aufsichtsbehörde zu wenden.

Mit freundlichen Grüßen
Tobias Brandt""",
    ),
    dict(
        id="de_widerruf_widerspruch_loeschung",
        language="de",
        rights=["withdraw_consent", "objection", "erasure"],
        source=DSGVO_VORLAGEN,
        sender="Sabine Vogt <sabine.vogt@example.de>",
        subject="Widerruf der Einwilligung, Widerspruch und Löschung",
        body="""Sehr geehrte Damen und Herren,

hiermit widerrufe ich meine Einwilligung in die Verarbeitung meiner personenbezogenen Daten mit sofortiger Wirkung (Art. 7 Abs. 3 DSGVO).

Zugleich widerspreche ich der Verarbeitung meiner Daten zu Zwecken der Direktwerbung gemäß Art. 21 Abs. 2 DSGVO.

Ich fordere Sie außerdem auf, meine Daten nach Art. 17 DSGVO zu löschen und mir dies zu bestätigen.

Mit freundlichen Grüßen
Sabine Vogt""",
    ),
    dict(
        id="de_datenuebertragbarkeit",
        language="de",
        rights=["portability"],
        source=DATENRECHT,
        sender="Mehmet Yilmaz <mehmet.yilmaz@example.de>",
        subject="Datenübertragbarkeit",
        body="""Sehr geehrte Damen und Herren,

gemäß Art. 20 DSGVO verlange ich die Übertragung der mich betreffenden Daten, die ich Ihnen bereitgestellt habe, in einem strukturierten, gängigen und maschinenlesbaren Format.

Bitte senden Sie mir die Datei an diese E-Mail-Adresse.

Viele Grüße
Mehmet Yilmaz""",
    ),
    dict(
        id="de_berichtigung",
        language="de",
        rights=["rectification"],
        source=BFDI,
        sender="Claudia Wendt <claudia.wendt@example.de>",
        subject="Berichtigung meiner Anschrift",
        body="""Sehr geehrte Damen und Herren,

Sie haben meine Anschrift falsch gespeichert. Bitte berichtigen Sie meine Daten gemäß Art. 16 DSGVO: richtig ist Birkenweg 12, 50667 Köln.

Mit freundlichen Grüßen
Claudia Wendt""",
    ),
    dict(
        id="de_auskunftsersuchen_kurz",
        language="de",
        rights=["access"],
        source=DATENRECHT,
        sender="Peter Lang <peter.lang@example.de>",
        subject="Auskunftsersuchen",
        body="""Guten Tag,

ich möchte wissen, welche Daten Sie über mich gespeichert haben, und bitte um eine Kopie meiner Daten.

Danke und Gruß
Peter Lang""",
    ),
    dict(
        id="de_auskunft_und_kopie_einschraenkung",
        language="de",
        rights=["restriction"],
        source=BFDI,
        sender="Ute Sommer <ute.sommer@example.de>",
        subject="Einschränkung der Verarbeitung",
        body="""Sehr geehrte Damen und Herren,

ich bestreite die Richtigkeit der über mich gespeicherten Bonitätsdaten. Bis zur Klärung verlange ich gemäß Art. 18 DSGVO die Einschränkung der Verarbeitung meiner Daten.

Mit freundlichen Grüßen
Ute Sommer""",
    ),
]
