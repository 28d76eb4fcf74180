"""Letters that say where their writer lives or which law they invoke, and letters about the
writer's own data that name no right (issue 13B, from what a new user tried): made-up people,
written for the cases the new-user trial found, with what each letter states. `jurisdiction`
is the place a reader of the letter would give the request ("EU" where it states none);
`outcome` is "request" unless given."""

from __future__ import annotations

TRIAL = "issue 13B: a new user's trial of the product (finding 7: a letter naming California)"
HINTS = "issue 13B: a new user's trial of the product (finding 12: letters that only hint)"

LETTERS = [
    dict(
        id="places_en_california_do_not_sell",
        language="en",
        rights=["opt_out_sale_sharing"],
        jurisdiction="US-CA",
        source=TRIAL,
        sender="Leah Morgan <leah.morgan@example.com>",
        subject="Do not sell my information",
        body="""Do not sell or share my personal information. I live in California.

Leah Morgan""",
    ),
    dict(
        id="places_en_california_resident_know",
        language="en",
        rights=["access"],
        jurisdiction="US-CA",
        source=TRIAL,
        sender="Omar Haddad <omar.haddad@example.com>",
        subject="Request to know",
        body="""Hello,

I'm a California resident. Please send me a copy of the personal information you have collected about me.

Thanks,
Omar Haddad""",
    ),
    dict(
        id="places_en_cpra_correct",
        language="en",
        rights=["rectification"],
        jurisdiction="US-CA",
        source=TRIAL,
        sender="Nina Park <nina.park@example.com>",
        subject="Correction under the CPRA",
        body="""Under the CPRA, please correct my postal address: it is now 55 Pine Street, Apt 4, not 5 Pine Street.

Nina Park""",
    ),
    dict(
        id="places_en_texas_resident_delete",
        language="en",
        rights=["erasure"],
        jurisdiction="US-TX",
        source=TRIAL,
        sender="Cole Bennett <cole.bennett@example.com>",
        subject="Delete my data",
        body="""I am a Texas resident. Please delete all personal data you hold about me.

Cole Bennett""",
    ),
    dict(
        id="places_en_virginia_vcdpa_access",
        language="en",
        rights=["access"],
        jurisdiction="US-VA",
        source=TRIAL,
        sender="Ruth Alvarez <ruth.alvarez@example.com>",
        subject="Consumer request under the VCDPA",
        body="""Under the Virginia Consumer Data Protection Act, I request a copy of the personal data you process about me.

Ruth Alvarez""",
    ),
    dict(
        id="places_en_oregon_address_delete",
        language="en",
        rights=["erasure"],
        jurisdiction="US-OR",
        source=TRIAL,
        sender="Jordan Lee <jordan.lee@example.com>",
        subject="Account deletion",
        body="""Please delete my account and all personal data you have about me.

Jordan Lee
742 Evergreen Terrace
Springfield, OR 97477""",
    ),
    dict(
        id="places_en_uk_manchester_sar",
        language="en",
        rights=["access"],
        jurisdiction="GB",
        source=TRIAL,
        sender="Priya Shah <priya.shah@example.co.uk>",
        subject="Subject access request",
        body="""I live in Manchester, in the UK. Please send me a copy of all the personal data you hold about me.

Priya Shah""",
    ),
    dict(
        id="places_en_pipeda_access",
        language="en",
        rights=["access"],
        jurisdiction="CA",
        source=TRIAL,
        sender="Ethan Roy <ethan.roy@example.ca>",
        subject="Access request",
        body="""Under PIPEDA, I request access to the personal information your organization holds about me.

Ethan Roy""",
    ),
    dict(
        id="places_en_opt_out_no_place",
        language="en",
        rights=["opt_out_sale_sharing"],
        jurisdiction="EU",
        source=TRIAL,
        sender="Sam Carter <sam.carter@example.com>",
        subject="Opt out",
        body="""Please do not sell my personal information.

Sam Carter""",
    ),
    dict(
        id="places_de_wien_loeschung",
        language="de",
        rights=["erasure"],
        jurisdiction="AT",
        source=TRIAL,
        sender="Lena Huber <lena.huber@example.at>",
        subject="Löschung meiner Daten",
        body="""Sehr geehrte Damen und Herren,

ich wohne in Wien, Österreich, und verlange die Löschung meiner personenbezogenen Daten nach Art. 17 DSGVO.

Mit freundlichen Grüßen
Lena Huber""",
    ),
    dict(
        id="places_de_company_address_us",
        language="de",
        rights=["access"],
        jurisdiction="DE",
        source=TRIAL,
        sender="Felix Wagner <felix.wagner@example.de>",
        subject="Auskunft",
        body="""An: Rightsflow Inc., 100 Market Street, San Francisco, CA 94105

Sehr geehrte Damen und Herren,

ich wohne in Deutschland und bitte um Auskunft über meine personenbezogenen Daten nach Art. 15 DSGVO.

Felix Wagner""",
    ),
    dict(
        id="places_fr_quebec_loi25_acces",
        language="fr",
        rights=["access"],
        jurisdiction="CA-QC",
        source=TRIAL,
        sender="Chloé Tremblay <chloe.tremblay@example.ca>",
        subject="Demande d'accès",
        body="""Bonjour,

J'habite à Montréal, au Québec. En vertu de la Loi 25, je demande l'accès aux renseignements personnels que vous détenez à mon sujet.

Chloé Tremblay""",
    ),
    dict(
        id="places_pt_brasil_lgpd_exclusao",
        language="pt",
        rights=["erasure"],
        jurisdiction="BR",
        source=TRIAL,
        sender="Thiago Souza <thiago.souza@example.com.br>",
        subject="Exclusão de dados",
        body="""Olá,

Moro no Brasil e solicito a exclusão dos meus dados pessoais, conforme a LGPD.

Thiago Souza""",
    ),
    dict(
        id="places_es_espana_acceso",
        language="es",
        rights=["access"],
        jurisdiction="ES",
        source=TRIAL,
        sender="Lucía Romero <lucia.romero@example.es>",
        subject="Derecho de acceso",
        body="""Hola,

Vivo en Sevilla, España, y solicito el acceso a mis datos personales.

Lucía Romero""",
    ),
    # Letters about the writer's data that name no right: a person reads them.
    dict(
        id="hint_en_what_you_do_with_my_information",
        language="en",
        rights=[],
        outcome="triage",
        source=HINTS,
        sender="Alex Moreno <alex.moreno@example.com>",
        subject="Question",
        body="""Hi, I would like to understand what you do with the information about me. Could you get back to me?

Alex""",
    ),
    dict(
        id="hint_en_you_have_my_phone_number",
        language="en",
        rights=[],
        outcome="triage",
        source=HINTS,
        sender="Beth Kowalski <beth.kowalski@example.com>",
        subject="Your text messages",
        body="""Hello, you seem to have my phone number, I never gave it to you. I keep getting your text messages.

Beth""",
    ),
    dict(
        id="hint_de_telefonnummer",
        language="de",
        rights=[],
        outcome="triage",
        source=HINTS,
        sender="Jan Becker <jan.becker@example.de>",
        subject="Ihre SMS",
        body="""Guten Tag, woher haben Sie meine Telefonnummer? Ich habe sie Ihnen nie gegeben.

Jan Becker""",
    ),
    dict(
        id="noright_en_shipping_to_canada",
        language="en",
        rights=[],
        outcome="unrecognised",
        source=HINTS,
        sender="Carl Dunn <carl.dunn@example.com>",
        subject="Shipping",
        body="""Hello, do you ship to Canada? I live in Toronto. Thank you.

Carl""",
    ),
]
