"""Invented names, towns, services and notes for the demo data (`seed_demo`): no real person's
data, e-mail addresses only at example.com and example domains."""

# (male first name, female first name) and surnames as (male form, female form).
FIRST_NAMES = [
    ("Jānis", "Anna"), ("Andris", "Ilze"), ("Mārtiņš", "Līga"), ("Ģirts", "Ieva"),
    ("Kārlis", "Kristīne"), ("Edgars", "Dace"), ("Uldis", "Inese"), ("Raitis", "Zane"),
    ("Oskars", "Laura"), ("Artūrs", "Elīna"), ("Māris", "Sanita"), ("Rihards", "Agnese"),
    ("Valdis", "Baiba"), ("Krišjānis", "Madara"), ("Roberts", "Evija"), ("Dāvis", "Anete"),
    ("Aigars", "Linda"), ("Gatis", "Gunta"), ("Ēriks", "Ērika"), ("Ņikita", "Jeļena"),
]  # fmt: skip
LAST_NAMES = [
    ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"), ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"),
    ("Balodis", "Balode"), ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"),
    ("Kļaviņš", "Kļaviņa"), ("Vītols", "Vītola"), ("Ķēniņš", "Ķēniņa"), ("Šmits", "Šmite"),
    ("Žagars", "Žagare"), ("Gailis", "Gaile"), ("Celmiņš", "Celmiņa"), ("Āboliņš", "Āboliņa"),
    ("Lapiņš", "Lapiņa"), ("Ivanovs", "Ivanova"),
]  # fmt: skip
# Country, weight, towns, phone prefix and digits after it.
COUNTRIES = [
    ("GB", 30, ["London", "Peterborough", "Boston", "Manchester", "Birmingham"], "+447", 9),
    ("IE", 14, ["Dublin", "Cork", "Limerick", "Galway"], "+35385", 7),
    ("DE", 14, ["Berlin", "München", "Hamburg", "Köln"], "+49151", 8),
    ("NO", 10, ["Oslo", "Bergen", "Stavanger", "Trondheim"], "+474", 7),
    ("SE", 6, ["Stockholm", "Göteborg", "Malmö"], "+4670", 7),
    ("NL", 6, ["Amsterdam", "Rotterdam", "Den Haag"], "+316", 8),
    ("DK", 5, ["København", "Aarhus", "Odense"], "+4520", 6),
    ("US", 4, ["New York", "Chicago", "Seattle"], "+1202555", 4),
    ("FI", 3, ["Helsinki", "Espoo", "Tampere"], "+35840", 7),
    ("EE", 2, ["Tallinn", "Tartu"], "+3725", 7),
]  # fmt: skip
REGION_WEIGHTS = {"KUR": 30, "ZEM": 15, "RIG": 25, "VID": 15, "LAT": 15}
SERVICE_TEMPLATES = {
    "family": [
        (
            "Vieta pirmsskolas izglītības iestādē",
            "Remigrantu ģimenēm vieta bērnudārzā rindas kārtībā; "
            "rindā var pieteikties no ārvalstīm.",
        ),
        (
            "Latviešu valodas apmācība bērniem",
            "Bezmaksas nodarbības skolēniem, kuri atgriežas no ārvalstīm.",
        ),
        (
            "Skolas izvēles konsultācija",
            "Izglītības pārvalde palīdz izvēlēties skolu un sagatavot dokumentus.",
        ),
    ],
    "housing": [
        ("Pašvaldības īres dzīvoklis", "Īres dzīvokļi remigrantu ģimenēm uz laiku līdz 2 gadiem."),
        ("Īres līdzfinansējums", "Daļēja īres maksas kompensācija pirmajos 6 mēnešos."),
    ],
    "work": [
        (
            "Vakances pašvaldības iestādēs",
            "Aktuālās vakances izglītībā, sociālajā jomā un pārvaldē.",
        ),
        (
            "Kvalifikācijas atzīšanas konsultācija",
            "Palīdzība ārvalstīs iegūtas izglītības atzīšanā.",
        ),
    ],
    "business": [
        ("Biznesa inkubators", "Telpas un mentori jaunajiem uzņēmējiem pirmos 2 gadus."),
        ("Grants uzņēmējdarbības uzsākšanai", "Līdz 5000 EUR konkursa kārtībā jaunam uzņēmumam."),
    ],
    "social": [
        ("Sociālā dienesta konsultācija", "Pabalsti, ģimenes ārsta reģistrācija, dokumenti."),
    ],
    "adult_education": [
        (
            "Pieaugušo izglītības kursi",
            "Profesionālās pilnveides kursi un valodu kursi pieaugušajiem.",
        ),
    ],
}
INTERACTION_TEXTS = [
    "Pirmais zvans: noskaidrojām ģimenes situāciju un plānoto atgriešanās laiku.",
    "Nosūtīju informāciju par bērnudārza rindu un skolām.",
    "Videozvans ar ģimeni; interesē darbs loģistikā un īres dzīvoklis.",
    "E-pastā atsūtīja precizētas vajadzības.",
    "Satikāmies diasporas seminārā; runājām par uzņēmējdarbības atbalstu.",
    "Atgādinājums par piedāvājumu; ģimene vēl domā.",
]


def slug(text: str) -> str:
    """ASCII for e-mail addresses: "Ķēniņš" → "kenins"."""
    table = str.maketrans("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ", "acegiklnsuzACEGIKLNSUZ")
    return "".join(ch for ch in text.translate(table).lower() if ch.isalnum())
