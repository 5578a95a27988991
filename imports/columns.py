"""The columns of a history file: the English code (the header the template writes), the
Latvian header (accepted too), and what each holds, in Latvian and English (the template's
second sheet). Headers are matched case-insensitively."""

from __future__ import annotations

from typing import NamedTuple


class Column(NamedTuple):
    code: str
    header_lv: str
    required: bool
    example: str
    help_lv: str
    help_en: str


DATE_HELP_LV = "Datums dd.mm.gggg (arī d.m.gggg vai gggg-mm-dd), ne nākotnē, no 2000. gada."
DATE_HELP_EN = "A date as dd.mm.yyyy (also d.m.yyyy or yyyy-mm-dd), not in the future, 2000 on."

COLUMNS = (
    Column("first_name", "Vārds", True, "Ilze", "Personas vārds.", "The person's first name."),
    Column("last_name", "Uzvārds", True, "Bērziņa", "Personas uzvārds.", "The last name."),
    Column(
        "email", "E-pasts", False, "ilze.berzina@example.com",
        "E-pasta adrese; viena persona failā un portālā ir viena.",
        "E-mail address; one person, one address in the file and the portal.",
    ),
    Column(
        "phone", "Tālrunis", False, "+44 7911 123456",
        "Tālrunis starptautiskā formā.", "Phone number in international form.",
    ),
    Column(
        "country", "Valsts", False, "GB",
        "Mītnes valsts: ISO kods (GB) vai nosaukums latviski vai angliski.",
        "Country of residence: ISO code (GB) or the name in Latvian or English.",
    ),
    Column("town", "Pilsēta", False, "London", "Mītnes pilsēta.", "Town of residence."),
    Column(
        "preferred_language", "Saziņas valoda", False, "lv",
        "lv, en vai ru (latviešu, angļu, krievu); tukšs: lv.",
        "lv, en or ru (Latvian, English, Russian); empty: lv.",
    ),
    Column(
        "household", "Mājsaimniecība", False, "dzīvesbiedrs 1984; bērns 2015; bērns 2019",
        "Kas pārceļas līdzi: radniecība (dzīvesbiedrs, bērns, vecāks, cits) un dzimšanas gads, "
        "atdalīti ar semikolu.",
        "Who moves along: relation (spouse, child, parent, other) and birth year, separated "
        "by semicolons.",
    ),
    Column(
        "legacy_reference", "Reģiona ID", True, "KURZ-2019-15",
        "Reģiona paša lietas numurs, failā unikāls. Portāla numurus (KUR-2026-00042) piešķir "
        "portāls pats; tos ievadīt nevar.",
        "The region's own id of the case, unique in the file. The portal numbers the cases "
        "itself (KUR-2026-00042); such numbers cannot be imported.",
    ),
    Column(
        "planning_region", "Plānošanas reģions", False, "KUR",
        "KUR, ZEM, RIG, VID vai LAT (vai nosaukums); koordinatoram tukšs: savs reģions.",
        "KUR, ZEM, RIG, VID or LAT (or the name); a coordinator may leave it empty: their region.",
    ),
    Column(
        "municipality", "Pašvaldība", False, "Liepājas valstspilsēta",
        "Interesējošā pašvaldība, kā portālā.", "Municipality of interest, as in the portal.",
    ),
    Column(
        "source", "Avots", False, "email",
        "contact_form, email, phone, event, other (vai latviski); tukšs: other.",
        "contact_form, email, phone, event, other (or in Latvian); empty: other.",
    ),
    Column(
        "timeframe", "Plānotais laiks", False, "6_12_months",
        "within_6_months, 6_12_months, 1_2_years, not_sure (vai nosaukums).",
        "within_6_months, 6_12_months, 1_2_years, not_sure (or the name).",
    ),
    Column(
        "needs", "Vajadzības", False, "housing, work",
        "Vajadzību kodi vai nosaukumi, atdalīti ar komatu: family, housing, work, business, "
        "social, adult_education, other.",
        "Need codes or names, comma-separated: family, housing, work, business, social, "
        "adult_education, other.",
    ),
    Column(
        "created", "Izveidots", True, "12.03.2019",
        "Pirmā kontakta datums. " + DATE_HELP_LV, "Date of the first contact. " + DATE_HELP_EN
    ),
    Column("contacted", "Sazinājās", False, "15.03.2019", DATE_HELP_LV, DATE_HELP_EN),
    Column(
        "needs_assessed", "Vajadzības izvērtētas", False, "", DATE_HELP_LV, DATE_HELP_EN
    ),
    Column(
        "offer_prepared", "Piedāvājums sagatavots", False, "01.04.2019",
        "Katras piedāvājuma versijas sagatavošanas datums (viens vai vairāki, atdalīti ar "
        "semikolu).",
        "The date each offer version was prepared (one or more, separated by semicolons).",
    ),
    Column(
        "offer_sent", "Piedāvājums nosūtīts", False, "05.04.2019",
        "Katras versijas nosūtīšanas datums (viens vai vairāki).",
        "The date each version was sent (one or more).",
    ),
    Column(
        "decided_to_return", "Nolēma atgriezties", False, "", DATE_HELP_LV, DATE_HELP_EN
    ),
    Column("returned", "Atgriezās", False, "", DATE_HELP_LV, DATE_HELP_EN),
    Column("closed", "Slēgts", False, "", DATE_HELP_LV, DATE_HELP_EN),
    Column(
        "closed_reason", "Slēgšanas iemesls", False, "",
        "Ja ir slēgšanas datums: no_response, not_returning, other (vai latviski).",
        "With a closing date: no_response, not_returning, other (or in Latvian).",
    ),
    Column(
        "contacts", "Kontakti", False, "12.03.2019 tālrunis; 20.04.2019 e-pasts: par skolu",
        "Kontakti: datums, veids (tālrunis, e-pasts, video, tikšanās, pasākums, cits) un pēc "
        "kola īss apraksts; atdalīti ar semikolu.",
        "Contacts: date, kind (phone, email, video, meeting, event, other) and after a colon "
        "a short summary; separated by semicolons.",
    ),
)  # fmt: skip

CODES = tuple(column.code for column in COLUMNS)
REQUIRED = tuple(column.code for column in COLUMNS if column.required)
# The status columns in pipeline order (offer_prepared and offer_sent are the offers').
DATE_COLUMNS = (
    "created", "contacted", "needs_assessed", "decided_to_return", "returned", "closed",
)  # fmt: skip
MULTI_DATE_COLUMNS = ("offer_prepared", "offer_sent")


def header_key(text: object) -> str:
    """A header cell as compared: trimmed, lower case, single spaces, no BOM."""
    return " ".join(str(text or "").replace("\ufeff", "").split()).casefold()


HEADERS = {
    **{header_key(column.code): column.code for column in COLUMNS},
    **{header_key(column.header_lv): column.code for column in COLUMNS},
}
