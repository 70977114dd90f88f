"""Names, places, referring institutions and phone numbers of the demo organisation."""

import unicodedata

_MX_FIRST = (
    "José Juan Luis Jorge Carlos Francisco Alejandro Ricardo Fernando Eduardo Roberto Arturo "
    "Raúl Sergio Héctor Jesús Manuel Víctor Óscar Édgar Iván Omar Rodrigo Enrique Alfredo "
    "Guillermo Ernesto Martín Rubén Gerardo Salvador Hugo Israel Armando Pedro Daniel Antonio "
    "Emilio Ulises Benjamín Gabriel Marco Alberto Adrián Joel Rafael Abraham Ismael"
).split() + ["Miguel Ángel", "Julio César", "José Luis", "Juan Carlos", "Luis Fernando"]
_MX_LAST = (
    "Hernández García Martínez López González Pérez Rodríguez Sánchez Ramírez Cruz Flores Gómez "
    "Morales Vázquez Reyes Jiménez Torres Díaz Gutiérrez Ruiz Mendoza Aguilar Ortiz Moreno "
    "Castillo Romero Álvarez Chávez Rivera Juárez Ramos Domínguez Herrera Medina Castro Vargas "
    "Guzmán Velázquez Rojas Contreras Salazar Luna Ríos Ávila Estrada Rosales Cervantes Navarro "
    "Solís Mejía Trejo Zamora Ibarra Quiroz Olvera Bautista Villanueva Arellano Montes Lozano"
).split()
_PA_FIRST = (
    "José Luis Carlos Ricardo Omar Rubén Edwin Abdiel Eric Aníbal Rolando Gilberto Iván Javier "
    "Ariel Yair Kevin Edgar Eduardo Roberto Alexis Félix Orlando Euclides Manuel Reinaldo "
    "Ramiro Jonathan Boris Moisés"
).split()
_PA_LAST = (
    "González Rodríguez Pérez Sánchez Batista Castillo Herrera Vergara Pinzón Quintero "
    "Samaniego Cedeño Barría Saldaña Arosemena Moreno Ríos Jaén Villarreal Córdoba Domínguez "
    "Camarena Ortega Espinosa Atencio Navarro Caballero Aguilar Chiari Mosquera"
).split() + ["De Gracia", "De León"]
_UY_FIRST = (
    "Martín Gonzalo Federico Diego Sebastián Pablo Nicolás Rodrigo Santiago Matías Agustín "
    "Leonardo Marcelo Washington Walter Gustavo Álvaro Fernando Jorge Ricardo Sergio Daniel "
    "Andrés Mauricio Ignacio Bruno Facundo Emiliano Germán Hugo"
).split()
_UY_LAST = (
    "Rodríguez González Fernández Pereira Silva Sosa Suárez Martínez Olivera Cabrera Acosta "
    "Núñez Rossi Ferreira Méndez Techera Píriz Bentancor Cardozo Da Silva Viera Correa "
    "Machado Castro Álvarez Gómez Larrosa Bianchi Cuadrado Invernizzi Barrios"
).split() + ["De León", "Dos Santos"]
_US_FIRST = (
    "José Miguel Carlos Luis Juan Jesús Daniel David Michael Christopher Anthony Kevin Brian "
    "Jason Eric Steven Andrew Ryan Justin Aaron Marcus Robert James Brandon Jonathan Edgar "
    "Ricardo Alejandro Oscar Mario Victor Hector Raymond Tyler Derek Samuel"
).split()
_US_LAST = (
    "Hernandez Garcia Lopez Martinez Rodriguez Gonzalez Perez Sanchez Ramirez Flores Torres "
    "Rivera Reyes Cruz Morales Johnson Smith Williams Brown Davis Miller Wilson Anderson Taylor "
    "Thomas Moore Jackson White Harris Nguyen Kim Park Lee Walker Thompson Young Allen Scott"
).split()

MEN = {
    "mx": (_MX_FIRST, _MX_LAST, 2),
    "pa": (_PA_FIRST, _PA_LAST, 2),
    "uy": (_UY_FIRST, _UY_LAST, 1),
    "us": (_US_FIRST, _US_LAST, 1),
}

STAFF_FIRST = (
    "Lucía Andrés Paola Tomás Ximena Ernesto Valeria Hugo Renata Mauricio Carolina Gustavo "
    "Fernanda Rodrigo Adriana Emilio Sofía Ramiro Alejandra Claudio Natalia Esteban Diana "
    "Óscar Verónica Pablo Mónica Felipe Irene Sergio Patricia Gerardo Teresa Joaquín Elena Iván"
).split()
STAFF_LAST = (
    "Méndez Villalobos Serrano Aguirre Robles Paredes Campos Fuentes Ibarra León Pardo Vera "
    "Cortés Espinoza Galindo Lara Maldonado Nava Ochoa Peña Quintana Rosas Sandoval Tapia "
    "Urrutia Valencia Zúñiga Arce Barragán Cisneros Duarte Escobar"
).split()

PLACES = {
    "CDMX": "Coyoacán Tlalpan Iztapalapa Azcapotzalco Narvarte Roma Doctores Xochimilco".split(),
    "GDL": "Centro Zapopan Tlaquepaque Tonalá Providencia Oblatos Chapalita Huentitán".split(),
    "PTY": ["San Miguelito", "Bella Vista", "Juan Díaz", "Calidonia", "Pueblo Nuevo", "Betania"],
    "MVD": "Cordón Centro Malvín Cerro Pocitos Goes Unión Colón Prado Buceo".split(),
    "LA": ["Boyle Heights", "Van Nuys", "Pico-Union", "Highland Park", "South Gate", "Pacoima"],
}

# Referring institutions per site and source type, each with the shape of its reference
# numbers ("{n}" a number, "{y}" the year). The partner, self and other sources need none.
INSTITUTIONS = {
    "CDMX": {
        "court": [
            ("Juzgado 3o Familiar CDMX", "Exp. {n}/{y}"),
            ("Juzgado 12o Familiar CDMX", "Exp. {n}/{y}"),
            ("Juzgado de Control, Sistema Penal Acusatorio CDMX", "CP {n}/{y}"),
        ],
        "government": [
            ("Centro de Justicia para las Mujeres CDMX", "CJM/{n}/{y}"),
            ("Secretaría de las Mujeres CDMX · LUNAS Coyoacán", "SEMUJERES/{n}/{y}"),
            ("DIF Ciudad de México", "DIF-CDMX-{n}"),
        ],
        "academic": [
            ("UNAM · Facultad de Psicología", "FP-{y}-{n}"),
            ("UAM Xochimilco · Servicio social", "UAMX-{n}"),
        ],
        "civil_society": [
            ("Colectivo Mujeres en Acción Tlalpan", ""),
            ("Centro de Apoyo Integral a la Mujer Iztapalapa", "CAIM-{n}"),
        ],
        "other": [("Centro de Salud T-III Tlalpan", ""), ("Parroquia de San Juan Bautista", "")],
    },
    "GDL": {
        "court": [
            ("Juzgado 2o de lo Familiar de Zapopan", "Exp. {n}/{y}"),
            ("Juzgado 5o de lo Familiar de Guadalajara", "Exp. {n}/{y}"),
        ],
        "government": [
            ("Centro de Justicia para las Mujeres Jalisco", "CJMJ/{n}/{y}"),
            ("Secretaría de Igualdad Sustantiva Jalisco", "SISEMH-{n}"),
        ],
        "academic": [("Universidad de Guadalajara · CUCS", "UDG-{n}")],
        "civil_society": [("Red de Hombres por la Igualdad Jalisco", "")],
        "other": [("Centro de Salud Zapopan", "")],
    },
    "PTY": {
        "court": [
            ("Juzgado Municipal de Familia de San Miguelito", "Exp. {n}-{y}"),
            ("Juzgado de Niñez y Adolescencia de Panamá", "Exp. {n}-{y}"),
        ],
        "government": [
            ("Instituto Nacional de la Mujer (INAMU)", "INAMU-{n}"),
            ("Ministerio Público · Fiscalía Metropolitana", "FM-{y}-{n}"),
        ],
        "academic": [("Universidad de Panamá · Facultad de Psicología", "UP-{n}")],
        "civil_society": [("Fundación Vida sin Violencia", "")],
        "other": [("Policlínica de San Miguelito", "")],
    },
    "MVD": {
        "court": [
            ("Juzgado Letrado de Violencia de Género 4º Turno", "IUE {n}/{y}"),
            ("Juzgado Letrado de Familia Especializado 2º Turno", "IUE {n}/{y}"),
        ],
        "government": [
            ("Inmujeres · Ministerio de Desarrollo Social", "MIDES-{n}"),
            ("Intendencia de Montevideo · Programa de varones", "IM-{n}"),
        ],
        "academic": [("Universidad de la República · Facultad de Psicología", "UDELAR-{n}")],
        "civil_society": [("ONG Espacio Abierto", "")],
        "other": [("Policlínica Malvín Norte", "")],
    },
    "LA": {
        "court": [
            ("Los Angeles County Superior Court", "Case No. BA{n}"),
            ("Superior Court · Van Nuys Courthouse", "Case No. LA{n}"),
        ],
        "government": [("LA County Probation Department", "PRB-{n}")],
        "academic": [("Cal State LA · Counseling Clinic", "CSULA-{n}")],
        "civil_society": [("East LA Family Resource Center", "")],
        "other": [("Employee Assistance Program", "")],
    },
}

# Source type weights per country (court, government, academic, civil_society, partner, self,
# other): California men come almost all from the courts and probation.
SOURCE_WEIGHTS = {
    "MX": [24, 26, 8, 10, 14, 13, 5],
    "PA": [28, 28, 5, 10, 12, 12, 5],
    "UY": [30, 25, 6, 10, 12, 12, 5],
    "US": [62, 22, 2, 4, 3, 5, 2],
}
SOURCES = ["court", "government", "academic", "civil_society", "partner", "self", "other"]


def ascii_slug(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == " ").replace(" ", "")


def man_name(rng, locale):
    first, last, surnames = MEN[locale]
    first_name = rng.choice(first)
    if surnames == 2 or (locale == "uy" and rng.random() < 0.3):
        last_name = f"{rng.choice(last)} {rng.choice(last)}"
    else:
        last_name = rng.choice(last)
    return first_name, last_name


def fresh_man_name(rng, locale, taken, tries=20):
    """A name not in `taken` if a few draws find one; else a repeat, as a large site has
    namesakes (the name pool is smaller than a national programme)."""
    for _ in range(tries):
        name = man_name(rng, locale)
        if name not in taken:
            return name
    return name


def phone(rng, site_code):
    n = rng.randrange(10**8)
    if site_code == "CDMX":
        return f"+52 55 {n // 10**4:04d} {n % 10**4:04d}"
    if site_code == "GDL":
        return f"+52 33 {n // 10**4:04d} {n % 10**4:04d}"
    if site_code == "PTY":
        return f"+507 6{n // 10**4 % 1000:03d}-{n % 10**4:04d}"
    if site_code == "MVD":
        return f"+598 9{n // 10**6 % 10} {n // 1000 % 1000:03d} {n % 1000:03d}"
    # 555-0100 to 555-0199 are reserved for fiction in North America.
    return f"+1 213 555 01{n % 100:02d}"


def email(rng, first_name, last_name):
    local = f"{ascii_slug(first_name)}.{ascii_slug(last_name.split()[0])}{rng.randrange(10, 99)}"
    return f"{local}@{rng.choice(['example.com', 'example.net', 'example.org'])}"
