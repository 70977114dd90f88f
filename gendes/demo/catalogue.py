"""The fixed parts of the demo organisation: sites, programme presets and their curricula,
group slots, and the users whose names the README gives."""

PASSWORD = "gendes-demo"

# Each site: its fields, the locale of its men's names, and its base groups as
# (programme key, weekdays, start time). `--scale N` repeats the groups N times.
SITES = [
    {
        "code": "CDMX",
        "name": "Ciudad de México",
        "country": "MX",
        "region": "Ciudad de México",
        "city": "Ciudad de México",
        "time_zone": "America/Mexico_City",
        "locale": "mx",
        "groups": [("gendes", "1", "19:00"), ("gendes", "5", "10:00"), ("publico", "0,3", "18:00")],
    },
    {
        "code": "GDL",
        "name": "Guadalajara",
        "country": "MX",
        "region": "Jalisco",
        "city": "Guadalajara",
        "time_zone": "America/Mexico_City",
        "locale": "mx",
        "groups": [("publico", "2", "19:00"), ("gendes", "4", "18:30")],
    },
    {
        "code": "PTY",
        "name": "Ciudad de Panamá",
        "country": "PA",
        "region": "Panamá",
        "city": "Ciudad de Panamá",
        "time_zone": "America/Panama",
        "locale": "pa",
        "groups": [("gendes", "1", "18:00"), ("gendes", "5", "09:30")],
    },
    {
        "code": "MVD",
        "name": "Montevideo",
        "country": "UY",
        "region": "Montevideo",
        "city": "Montevideo",
        "time_zone": "America/Montevideo",
        "locale": "uy",
        "groups": [("gendes", "3", "19:30"), ("gendes", "5", "10:30")],
    },
    {
        "code": "LA",
        "name": "Los Ángeles",
        "country": "US",
        "region": "California",
        "city": "Los Angeles",
        "time_zone": "America/Los_Angeles",
        "locale": "us",
        "groups": [("california", "2", "18:00"), ("california", "5", "09:00")],
    },
]

# Slots for the groups `--scale` adds beyond the base ones.
EXTRA_SLOTS = [
    ("0", "19:00"),
    ("1", "18:00"),
    ("2", "10:00"),
    ("3", "19:30"),
    ("4", "17:00"),
    ("5", "11:00"),
    ("1,4", "18:30"),
]

WEEKDAY_NAMES = ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"]

PROGRAMMES = {
    "gendes": {
        "name": "Grupo semanal GENDES",
        "description": (
            "Grupo abierto de reeducación para hombres que han ejercido violencia en la pareja: "
            "una sesión semanal de dos horas y media con dos facilitadores."
        ),
        "required_sessions": 24,
        "session_minutes": 150,
        "allowed_excused_absences": 4,
        "allowed_unexcused_absences": 2,
        "max_consecutive_absences": 3,
        "report_interval_days": None,
    },
    "california": {
        "name": "California 52 semanas (PC 1203.097)",
        "description": (
            "Programa certificado para hombres referidos por la corte o libertad condicional: "
            "52 sesiones semanales de al menos dos horas, informes de avance cada 90 días y "
            "aviso inmediato de nueva violencia."
        ),
        "required_sessions": 52,
        "session_minutes": 120,
        "allowed_excused_absences": 3,
        "allowed_unexcused_absences": 0,
        "max_consecutive_absences": None,
        "report_interval_days": 90,
    },
    "publico": {
        "name": "Modelo público México",
        "description": (
            "Modelo de los programas públicos de reeducación para hombres agresores: "
            "25 sesiones de dos horas y media."
        ),
        "required_sessions": 25,
        "session_minutes": 150,
        "allowed_excused_absences": 3,
        "allowed_unexcused_absences": 2,
        "max_consecutive_absences": 3,
        "report_interval_days": 30,
    },
}

TOPICS = {
    "gendes": [
        "Encuadre y acuerdos del grupo",
        "La retirada",
        "Violencia emocional",
        "Violencia verbal",
        "Violencia física",
        "Violencia sexual",
        "Violencia económica y patrimonial",
        "Masculinidades",
        "Escucha activa",
        "El enojo y las señales del cuerpo",
        "Celos y control",
        "Paternidad afectiva",
        "Expresar emociones sin violencia",
        "Poder y autoridad en la pareja",
        "Negociación y acuerdos",
        "Responsabilidad y reparación del daño",
    ],
    "california": [
        "Encuadre, reglas del programa y confidencialidad",
        "La retirada",
        "Responsabilidad y rendición de cuentas",
        "Violencia emocional",
        "Violencia física y sus consecuencias legales",
        "Impacto de la violencia en hijas e hijos",
        "Alcohol, drogas y violencia",
        "Celos y control",
        "Escucha activa",
        "Masculinidades",
        "Plan personal de no violencia",
        "Reparación del daño",
    ],
    "publico": [
        "Encuadre y compromiso de no violencia",
        "Socialización masculina y género",
        "La retirada",
        "Tipos de violencia: emocional, física, sexual, económica y patrimonial",
        "Violencia emocional",
        "Violencia sexual y consentimiento",
        "Masculinidades",
        "Escucha activa",
        "Manejo del enojo",
        "Celos, control y aislamiento",
        "Corresponsabilidad en el hogar y los cuidados",
        "Paternidad sin violencia",
        "Derechos de las mujeres y marco legal",
        "Plan de vida sin violencia",
    ],
}

# username: (first name, last name, what the README table says)
DEMO_USERS = {
    "admin": ("Laura", "Medina Ochoa", "superuser (Django admin)"),
    "coordinator": ("Mariana", "Ortega Salas", "coordinator of every demo site"),
    "facilitator": ("Javier", "Ramírez Luna", "facilitator of groups at CDMX"),
    "facilitator2": ("Daniel", "Castillo Peña", "facilitator of groups at GDL"),
    "partner": ("Gabriela", "Núñez Arias", "partner-support worker at CDMX and GDL"),
}
# The site whose first facilitator slot each named facilitator takes.
NAMED_FACILITATORS = {"CDMX": "facilitator", "GDL": "facilitator2"}
PARTNER_SITES = ["CDMX", "GDL"]

CONSENT_VERSION = "2024.1"
