"""Letters in French, Spanish, Italian and Portuguese, written from public request templates
(see each `source`), filled with made-up people. Read by build_corpus.py."""

from __future__ import annotations

DOCUMENTS_FR = "https://www.documents.fr/lettre-de-demande-d-acces-aux-donnees-personnelles.html"
LETTRES = "https://www.lettres-gratuites.com/modele-lettre-demande-acces-fichier-cnil-4.html"
WONDER_FR = "https://www.wonder.legal/fr/modele/69-TDD6/demande-acces-modification-suppression-donnees-caractere-personnel"
PERSONALDATA = (
    "https://wiki.personaldata.io/w/index.php?title=Template:AccessFR&diff=94984&oldid=94055"
)
MARINERO = "https://www.pablomarinero.com/BLOG_ES/plantillas_solicitudes_rgpd.html"
MENTORA = "https://mentora.es/como-ejercito-mi-derecho-de-supresion/"
CLI3 = "https://cli3privacy.blogspot.com/2018/06/como-puedo-pedir-que-borren-mis-datos.html"
VERONA = "https://www.comune.verona.it/Amministrazione/Documenti-e-dati/Modulistica/Privacy-Esercizio-dei-diritti-per-la-protezione-dei-dati-personali"
MODULI = (
    "https://moduli.it/la-richiesta-di-accesso-ai-dati-personali-deve-essere-indirizzata-a-chi-3792"
)
VERA = "https://www.veraitalia.it/esercizio-diritti/"
ROCKET = "https://rocketlawyer.com/br/pt/empresas-e-negocios/internet-e-tecnologia/documento/requerimento-acesso-dados-pessoais-coletados"
DIGITEI = "https://digitei.com/abrir-requerimento-relacionado-a-lgpd-passo-a-passo"
MPES = "https://mpes.mp.br/requerimento-lgpd/"

LETTERS = [
    # ------------------------------------------------------------------ French
    dict(
        id="fr_acces_documents",
        language="fr",
        rights=["access"],
        source=DOCUMENTS_FR,
        sender="Camille Rousseau <camille.rousseau@example.fr>",
        subject="Demande d'accès aux données personnelles",
        body="""Madame, Monsieur,

En application de l'article 15 du Règlement général sur la protection des données (RGPD), je vous prie de bien vouloir m'indiquer si des données me concernant figurent dans vos fichiers et, le cas échéant, de m'en adresser une copie.

Je vous remercie de me préciser également les finalités du traitement, les destinataires de ces données, leur durée de conservation et leur source.

Je vous rappelle que vous disposez d'un délai d'un mois pour répondre. À défaut, je me réserve la possibilité de saisir la CNIL d'une réclamation.

Veuillez agréer, Madame, Monsieur, mes salutations distinguées.
Camille Rousseau""",
    ),
    dict(
        id="fr_suppression_lettres",
        language="fr",
        rights=["erasure"],
        source=LETTRES,
        sender="Julien Perrin <julien.perrin@example.fr>",
        subject="Demande de suppression de mes données",
        body="""Madame, Monsieur,

Je vous demande de bien vouloir supprimer l'ensemble des données personnelles me concernant de vos fichiers, conformément à l'article 17 du RGPD (droit à l'effacement).

Je vous remercie de me confirmer la suppression dans les meilleurs délais.

Cordialement,
Julien Perrin""",
    ),
    dict(
        id="fr_rectification",
        language="fr",
        rights=["rectification"],
        source=WONDER_FR,
        sender="Sophie Garnier <sophie.garnier@example.fr>",
        subject="Rectification de mes données",
        body="""Madame, Monsieur,

Mon adresse postale enregistrée chez vous est inexacte. En application de l'article 16 du RGPD, je vous demande de procéder à la rectification de mes données : ma nouvelle adresse est 8 rue des Lilas, 69003 Lyon.

Cordialement,
Sophie Garnier""",
    ),
    dict(
        id="fr_opposition_retrait",
        language="fr",
        rights=["withdraw_consent", "objection"],
        source=WONDER_FR,
        sender="Antoine Lefèvre <antoine.lefevre@example.fr>",
        subject="Opposition à la prospection commerciale",
        body="""Madame, Monsieur,

Je retire mon consentement au traitement de mes données et je m'oppose, en vertu de l'article 21 du RGPD, à l'utilisation de mes données à des fins de prospection commerciale.

Merci de me confirmer la prise en compte de ma demande.

Antoine Lefèvre""",
    ),
    dict(
        id="fr_acces_portabilite",
        language="fr",
        rights=["access", "portability"],
        source=PERSONALDATA,
        sender="Élodie Marchand <elodie.marchand@example.fr>",
        subject="Demande d'accès et de portabilité",
        body="""Madame, Monsieur,

Il s'agit d'une demande de transparence en vertu du règlement général sur la protection des données, y compris une demande d'accès et une demande de portabilité.

Je souhaite obtenir une copie de toutes mes données personnelles, et recevoir les données que je vous ai fournies dans un format structuré, couramment utilisé et lisible par machine.

Cordialement,
Élodie Marchand""",
    ),
    dict(
        id="fr_demander_acces_court",
        language="fr",
        rights=["access"],
        source=LETTRES,
        sender="Nicolas Faure <nicolas.faure@example.fr>",
        subject="Mes données",
        body="""Bonjour,

Je voudrais demander l'accès à mes données personnelles que vous détenez.

Merci d'avance,
Nicolas Faure""",
    ),
    dict(
        id="fr_limitation",
        language="fr",
        rights=["restriction"],
        source=WONDER_FR,
        sender="Manon Girard <manon.girard@example.fr>",
        subject="Demande de limitation du traitement",
        body="""Madame, Monsieur,

Je conteste l'exactitude des données vous concernant mon dossier de crédit. En application de l'article 18 du RGPD, je vous demande la limitation du traitement de mes données le temps de la vérification.

Manon Girard""",
    ),
    dict(
        id="fr_effacement_desabonnement",
        language="fr",
        rights=["withdraw_consent", "erasure"],
        source=LETTRES,
        sender="Thomas Roux <thomas.roux@example.fr>",
        subject="Désabonnement et effacement",
        body="""Bonjour,

Je souhaite me désabonner de votre lettre d'information et que vous effaciez toutes mes données personnelles.

Thomas Roux""",
    ),
    # ------------------------------------------------------------------ Spanish
    dict(
        id="es_acceso_marinero",
        language="es",
        rights=["access"],
        source=MARINERO,
        sender="Laura Méndez <laura.mendez@example.es>",
        subject="Ejercicio del derecho de acceso",
        body="""Estimados señores:

Por medio de la presente, ejerzo mi derecho de acceso conforme al artículo 15 del Reglamento General de Protección de Datos (RGPD). Solicito que me faciliten una copia de mis datos personales objeto de tratamiento, los fines del tratamiento, los destinatarios, el plazo de conservación y el origen de los datos.

En caso de no recibir respuesta en el plazo de un mes, presentaré una reclamación ante la Agencia Española de Protección de Datos.

Atentamente,
Laura Méndez""",
    ),
    dict(
        id="es_supresion_mentora",
        language="es",
        rights=["erasure"],
        source=MENTORA,
        sender="Carlos Navarro <carlos.navarro@example.es>",
        subject="Solicitud de supresión de datos",
        body="""Estimados señores:

Conforme al artículo 17 del RGPD y a la LOPDGDD, solicito la supresión de todos mis datos personales, ya que no son necesarios para la finalidad para la que fueron recogidos.

Ruego me confirmen por escrito la supresión.

Carlos Navarro""",
    ),
    dict(
        id="es_solicitando_acceso",
        language="es",
        rights=["access"],
        source=CLI3,
        sender="Marta Ibáñez <marta.ibanez@example.es>",
        subject="Mis datos",
        body="""Hola,

Les escribo solicitando acceso a los datos personales que tienen sobre mí.

Un saludo,
Marta Ibáñez""",
    ),
    dict(
        id="es_oposicion_retiro",
        language="es",
        rights=["withdraw_consent", "objection", "erasure"],
        source=MARINERO,
        sender="Sergio Ortega <sergio.ortega@example.es>",
        subject="Retirada del consentimiento, oposición y supresión",
        body="""Estimados señores:

Retiro mi consentimiento para el tratamiento de mis datos personales. Asimismo, me opongo al tratamiento de mis datos con fines de mercadotecnia directa (artículo 21 RGPD) y solicito la supresión de mis datos (artículo 17 RGPD).

Atentamente,
Sergio Ortega""",
    ),
    dict(
        id="es_rectificacion",
        language="es",
        rights=["rectification"],
        source=CLI3,
        sender="Elena Castro <elena.castro@example.es>",
        subject="Derecho de rectificación",
        body="""Estimados señores:

Ejerzo mi derecho de rectificación: mi número de teléfono es incorrecto. El correcto es +34 612 345 678. Les ruego que corrijan mis datos.

Elena Castro""",
    ),
    dict(
        id="es_portabilidad",
        language="es",
        rights=["portability"],
        source=MARINERO,
        sender="Andrés Vidal <andres.vidal@example.es>",
        subject="Derecho a la portabilidad",
        body="""Estimados señores:

En virtud del artículo 20 del RGPD, solicito la portabilidad de los datos que les he facilitado, en un formato estructurado, de uso común y lectura mecánica.

Andrés Vidal""",
    ),
    dict(
        id="es_baja_newsletter",
        language="es",
        rights=["withdraw_consent"],
        source=CLI3,
        sender="Pilar Romero <pilar.romero@example.es>",
        subject="Baja",
        body="""Por favor, quiero darme de baja de su boletín y que dejen de enviarme publicidad.

Pilar Romero""",
    ),
    dict(
        id="es_limitacion",
        language="es",
        rights=["restriction"],
        source=MENTORA,
        sender="Javier Molina <javier.molina@example.es>",
        subject="Limitación del tratamiento",
        body="""Estimados señores:

Solicito la limitación del tratamiento de mis datos personales mientras se verifica su exactitud, conforme al artículo 18 del RGPD.

Javier Molina""",
    ),
    # ------------------------------------------------------------------ Italian
    dict(
        id="it_accesso_verona",
        language="it",
        rights=["access"],
        source=VERONA,
        sender="Francesca Greco <francesca.greco@example.it>",
        subject="Esercizio dei diritti in materia di protezione dei dati personali",
        body="""Spett.le Titolare del trattamento,

la sottoscritta Francesca Greco, ai sensi dell'articolo 15 del Regolamento (UE) 2016/679, chiede di ottenere la conferma dell'esistenza di un trattamento di dati personali che la riguardano e di ricevere copia dei dati, con indicazione delle finalità, dei destinatari, del periodo di conservazione e dell'origine dei dati.

In mancanza di riscontro entro un mese, si riserva di proporre reclamo al Garante per la protezione dei dati personali.

Distinti saluti
Francesca Greco""",
    ),
    dict(
        id="it_cancellazione",
        language="it",
        rights=["erasure"],
        source=MODULI,
        sender="Luca Ferrari <luca.ferrari@example.it>",
        subject="Richiesta di cancellazione dei dati",
        body="""Spettabile azienda,

chiedo la cancellazione di tutti i miei dati personali ai sensi dell'art. 17 del GDPR (diritto all'oblio).

Cordiali saluti
Luca Ferrari""",
    ),
    dict(
        id="it_richiedo_accesso",
        language="it",
        rights=["access"],
        source=MODULI,
        sender="Sara Conti <sara.conti@example.it>",
        subject="I miei dati",
        body="""Buongiorno,

richiedo accesso ai miei dati personali in vostro possesso.

Grazie,
Sara Conti""",
    ),
    dict(
        id="it_revoca_opposizione",
        language="it",
        rights=["withdraw_consent", "objection"],
        source=VERA,
        sender="Matteo Gallo <matteo.gallo@example.it>",
        subject="Revoca del consenso e opposizione al trattamento",
        body="""Spettabile azienda,

revoco il consenso al trattamento dei miei dati per finalità di marketing e mi oppongo al trattamento dei miei dati ai sensi dell'art. 21 del Regolamento UE 2016/679.

Matteo Gallo""",
    ),
    dict(
        id="it_rettifica",
        language="it",
        rights=["rectification"],
        source=VERONA,
        sender="Chiara Longo <chiara.longo@example.it>",
        subject="Richiesta di rettifica",
        body="""Spettabile Titolare,

chiedo la rettifica dei miei dati anagrafici: il mio cognome è Longo e non Lungo come risulta nei vostri archivi.

Chiara Longo""",
    ),
    dict(
        id="it_portabilita_accesso",
        language="it",
        rights=["access", "portability"],
        source=VERA,
        sender="Giorgio Marino <giorgio.marino@example.it>",
        subject="Accesso e portabilità dei dati",
        body="""Spettabile azienda,

ai sensi degli articoli 15 e 20 del GDPR chiedo l'accesso ai miei dati personali e la loro portabilità in un formato strutturato, di uso comune e leggibile da dispositivo automatico.

Giorgio Marino""",
    ),
    dict(
        id="it_limitazione",
        language="it",
        rights=["restriction"],
        source=VERONA,
        sender="Paola Rinaldi <paola.rinaldi@example.it>",
        subject="Limitazione del trattamento",
        body="""Spett.le Titolare,

chiedo la limitazione del trattamento dei miei dati personali ai sensi dell'art. 18 del Regolamento (UE) 2016/679, in attesa della verifica della loro esattezza.

Paola Rinaldi""",
    ),
    dict(
        id="it_cancellazione_disiscrizione",
        language="it",
        rights=["withdraw_consent", "erasure"],
        source=MODULI,
        sender="Davide Costa <davide.costa@example.it>",
        subject="Disiscrizione",
        body="""Buongiorno, vorrei disiscrivermi dalla newsletter e chiedo di eliminare i miei dati dai vostri sistemi.

Davide Costa""",
    ),
    # ------------------------------------------------------------------ Portuguese
    dict(
        id="pt_acesso_rocket",
        language="pt",
        rights=["access"],
        jurisdiction="BR",
        source=ROCKET,
        sender="Ana Ribeiro <ana.ribeiro@example.com.br>",
        subject="Requisição de acesso aos dados pessoais",
        body="""Prezados,

Na qualidade de titular dos dados, solicito o acesso aos meus dados pessoais tratados por esta empresa, bem como a confirmação da existência de tratamento, nos termos do artigo 18 da LGPD.

Atenciosamente,
Ana Ribeiro""",
    ),
    dict(
        id="pt_apagamento_rgpd",
        language="pt",
        rights=["erasure"],
        source=DIGITEI,
        sender="João Carvalho <joao.carvalho@example.pt>",
        subject="Pedido de apagamento de dados",
        body="""Exmos. Senhores,

Ao abrigo do artigo 17.º do RGPD, venho solicitar o apagamento de todos os meus dados pessoais.

Com os melhores cumprimentos,
João Carvalho""",
    ),
    dict(
        id="pt_acesso_meio_ingles",
        language="pt",
        rights=["access"],
        source=DIGITEI,
        sender="Beatriz Sousa <beatriz.sousa@example.pt>",
        subject="Pedido de acesso - access request",
        body="""Bom dia,

Venho por este meio exercer o meu direito de acesso aos dados pessoais que a vossa empresa trata sobre mim, nos termos do artigo 15.º do RGPD. Please reply in English if possible.

Gostaria de receber uma cópia dos dados, as finalidades do tratamento e a existência de decisões automatizadas, incluindo a definição de perfis.

Obrigada,
Beatriz Sousa""",
    ),
    dict(
        id="pt_exclusao_revogacao",
        language="pt",
        rights=["withdraw_consent", "erasure"],
        jurisdiction="BR",
        source=MPES,
        sender="Rafael Lima <rafael.lima@example.com.br>",
        subject="Revogação do consentimento e exclusão de dados",
        body="""Prezados,

Revogo o consentimento para o tratamento dos meus dados pessoais e solicito a exclusão dos meus dados, nos termos do art. 18 da LGPD.

Rafael Lima""",
    ),
    dict(
        id="pt_retificacao",
        language="pt",
        rights=["rectification"],
        source=MPES,
        sender="Mariana Alves <mariana.alves@example.pt>",
        subject="Retificação de dados",
        body="""Exmos. Senhores,

Solicito a retificação dos meus dados pessoais: a minha morada correta é Rua das Flores 21, 4050-262 Porto.

Mariana Alves""",
    ),
    dict(
        id="pt_portabilidade",
        language="pt",
        rights=["portability"],
        source=DIGITEI,
        sender="Tiago Pereira <tiago.pereira@example.pt>",
        subject="Portabilidade dos dados",
        body="""Exmos. Senhores,

Nos termos do artigo 20.º do RGPD, solicito a portabilidade dos meus dados num formato estruturado, de uso corrente e de leitura automática.

Tiago Pereira""",
    ),
    dict(
        id="pt_oposicao",
        language="pt",
        rights=["objection"],
        source=MPES,
        sender="Inês Martins <ines.martins@example.pt>",
        subject="Direito de oposição",
        body="""Exmos. Senhores,

Venho exercer o direito de oposição ao tratamento dos meus dados pessoais para fins de marketing direto, nos termos do artigo 21.º do RGPD.

Inês Martins""",
    ),
    dict(
        id="pt_limitacao",
        language="pt",
        rights=["restriction"],
        source=DIGITEI,
        sender="Pedro Gomes <pedro.gomes@example.pt>",
        subject="Limitação do tratamento",
        body="""Exmos. Senhores,

Solicito a limitação do tratamento dos meus dados pessoais enquanto verificam a sua exatidão (artigo 18.º do RGPD).

Pedro Gomes""",
    ),
]
