"""Short Spanish texts of the demo data: reflections, notes, reasons. Data, not interface
strings, so they are not translated."""

REFLECTIONS_NO = [
    "Esta semana usé la retirada cuando empezamos a discutir por el dinero.",
    "Me di cuenta de que quería tener la razón y mejor escuché.",
    "Estuve tranquilo; hablé con mi pareja de cómo me sentía.",
    "Sentí mucho enojo en el trabajo, pero no lo llevé a la casa.",
    "Salí a caminar una hora cuando sentí que subía la voz.",
    "Pude pedir perdón sin justificarme.",
    "Noté los celos y los nombré en lugar de revisar su teléfono.",
    "Jugué con mis hijos y les pregunté cómo les fue en la escuela.",
    "Tuve ganas de gritar y respiré; todavía me cuesta.",
    "Hice mi parte de la casa sin que me lo pidieran.",
    "Escuché a mi pareja hasta el final antes de contestar.",
    "Reconocí las señales del cuerpo: calor en la cara y los puños cerrados.",
    "Fue una semana difícil, pero cumplí mi compromiso de no violencia.",
    "Le pregunté qué necesitaba en lugar de decidir por ella.",
]
REFLECTIONS_YES = [
    "Le grité a mi pareja cuando llegó tarde; me doy cuenta de que fue control.",
    "La insulté durante una discusión por los gastos.",
    "Le dejé de hablar dos días para castigarla.",
    "Revisé su celular sin permiso.",
    "Le dije que no servía para nada; me avergüenza.",
    "Golpeé la mesa y ella se asustó. No usé la retirada.",
    "Le reclamé por salir con sus amigas y la hice sentir culpable.",
    "Levanté la voz delante de mis hijos.",
]
REFLECTIONS_PHYSICAL = [
    "La empujé cuando quería salir del cuarto. No usé la retirada.",
    "La jalé del brazo durante una discusión.",
    "Le aventé el celular y le pegó en el brazo.",
]
REFLECTIONS_DECLINED = ["Hoy prefiero no hablar de eso.", "No quiero decir nada esta vez."]

SESSION_NOTES = [
    "Dos compañeros nuevos; se repasó el encuadre del grupo.",
    "Buena participación; se practicó la retirada en parejas.",
    "Se habló de la paternidad; varios compartieron experiencias de su infancia.",
    "Un compañero llegó alterado; se le acompañó al final de la sesión.",
    "Sesión densa; quedó pendiente terminar el ejercicio de las señales del cuerpo.",
    "Se revisaron los compromisos de la semana pasada.",
]
CANCELLATION_REASONS = [
    "Día festivo",
    "Corte de luz en la sede",
    "Facilitadora enferma; se avisó por WhatsApp",
    "Suspensión por lluvias",
]
NOBODY_ENROLLED = "No había participantes inscritos en el grupo"

INTAKE_NOTES = [
    "Reconoce gritos e insultos; dice que viene por su familia.",
    "Minimiza la violencia; atribuye el problema al alcohol.",
    "Tiene orden de protección vigente a favor de su pareja.",
    "Separado desde hace tres meses; quiere recuperar la convivencia con sus hijos.",
    "Llega por iniciativa propia después de una discusión fuerte.",
    "Trabaja en turnos rotativos; pide grupo en fin de semana.",
    "",
]
PARTNER_REFERRAL_NOTES = "Su pareja le dijo que buscara ayuda o se separaría."

EXIT_REASONS = {
    "completed": "Cumplió las sesiones requeridas; se entregó constancia.",
    "dropped_out": [
        "Dejó de asistir; no respondió a las llamadas de seguimiento.",
        "Dijo que ya no tiene tiempo por el trabajo.",
        "Nunca se presentó al grupo después de la entrevista.",
        "Se reconcilió con su pareja y dice que ya no lo necesita.",
    ],
    "terminated": [
        "Reportó violencia física; se notificó al juzgado y se canalizó a atención especializada.",
        "Incumplió los acuerdos del grupo de manera reiterada.",
    ],
    "transferred_out": [
        "Se mudó a Puebla; se le canalizó al programa local.",
        "Cambió de ciudad por trabajo; se envió su expediente a la institución de destino.",
    ],
    "transferred_in": [
        "Cambió su horario de trabajo; pasa a otro grupo de la sede.",
        "Pidió un grupo más cerca de su casa.",
    ],
}

FOLLOW_UP = {
    "returning": ("Dice que regresa la próxima semana.", "Confirmar asistencia el día anterior"),
    "undecided": (
        "Tiene dudas por el horario; se le ofrecieron otros grupos.",
        "Volver a llamar el jueves",
    ),
    "leaving": ("No quiere continuar.", "Informar a quien lo refirió"),
    "no_answer": ("No contestó; se dejó mensaje.", "Intentar por otro medio"),
    "wrong_contact": ("El número no es suyo.", "Pedir datos actualizados a quien lo refirió"),
}

SAFE_CHANNELS = [
    "Teléfono de su hermana",
    "WhatsApp propio (solo mensajes de texto)",
    "Correo electrónico personal",
    "A través de la trabajadora social que la acompaña",
]
SAFE_TIMES = [
    "Martes y jueves de 10 a 13 h",
    "Entre semana por la mañana",
    "Después de las 16 h, cuando él trabaja",
    "Sábados por la mañana",
]
PARTNER_ENTRIES = [
    "Primera llamada: se presentó el programa y los límites de la confidencialidad.",
    "Refiere que los gritos han disminuido, pero sigue revisando su teléfono.",
    "Refiere miedo; se revisó su plan de seguridad y se le dieron números de emergencia.",
    "No contestó; por seguridad no se dejó mensaje.",
    "Dice que él usa la retirada y que las discusiones terminan antes.",
    "Se le canalizó a asesoría jurídica gratuita.",
]

ALERT_ACKNOWLEDGEMENTS = [
    "Se habló con él al terminar la sesión y se revisó su plan de retirada.",
    "Se contactó a su pareja por el canal seguro y se activó su plan de seguridad.",
    "Se informó al juzgado que lo refirió.",
]
