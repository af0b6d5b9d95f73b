"""Telling when a message is written in another language than English, to say (in that language where
it can tell which) that the assistant works in English. Word lists of the commonest function words are
enough for a whole sentence; a single word is never taken for another language."""

from __future__ import annotations

import re

_WORDS = {
    "es": {
        "hola",
        "quiero",
        "curso",
        "cursos",
        "estudiar",
        "trabajo",
        "para",
        "como",
        "tengo",
        "necesito",
        "un",
        "una",
        "el",
        "la",
        "los",
        "las",
        "que",
        "de",
        "en",
        "por",
        "con",
        "mi",
        "soy",
        "pero",
        "muy",
        "gracias",
        "puedo",
        "busco",
        "dinero",
        "semanas",
        "horas",
        "meses",
        "es",
        "y",
        "del",
        "al",
    },
    "fr": {
        "bonjour",
        "je",
        "veux",
        "cours",
        "formation",
        "travail",
        "pour",
        "comment",
        "j'ai",
        "besoin",
        "une",
        "le",
        "la",
        "les",
        "que",
        "de",
        "des",
        "en",
        "avec",
        "mon",
        "suis",
        "mais",
        "très",
        "merci",
        "peux",
        "cherche",
        "argent",
        "semaines",
        "heures",
        "mois",
        "est",
        "et",
        "du",
        "au",
        "un",
        "dans",
    },
    "de": {
        "hallo",
        "ich",
        "möchte",
        "kurs",
        "kurse",
        "arbeit",
        "für",
        "wie",
        "habe",
        "brauche",
        "eine",
        "der",
        "die",
        "das",
        "und",
        "mit",
        "mein",
        "bin",
        "aber",
        "sehr",
        "danke",
        "kann",
        "suche",
        "geld",
        "wochen",
        "stunden",
        "monate",
        "ist",
        "ein",
        "nicht",
        "zu",
        "im",
        "auf",
        "weiterbildung",
    },
    "pt": {
        "olá",
        "ola",
        "quero",
        "curso",
        "cursos",
        "trabalho",
        "para",
        "como",
        "tenho",
        "preciso",
        "uma",
        "o",
        "os",
        "as",
        "que",
        "de",
        "em",
        "com",
        "meu",
        "sou",
        "mas",
        "muito",
        "obrigado",
        "obrigada",
        "posso",
        "procuro",
        "dinheiro",
        "semanas",
        "horas",
        "meses",
        "é",
        "e",
        "do",
        "da",
        "no",
        "na",
    },
}
_ENGLISH = {
    "i",
    "the",
    "a",
    "an",
    "to",
    "and",
    "want",
    "for",
    "my",
    "in",
    "is",
    "of",
    "course",
    "courses",
    "have",
    "with",
    "what",
    "how",
    "can",
    "you",
    "it",
    "be",
    "work",
    "learn",
    "hello",
    "hi",
    "please",
}
NOTES = {
    "es": "Lo siento: por ahora solo puedo ayudarte en inglés. Escríbeme en inglés tu objetivo profesional, "
    "tu presupuesto y el tiempo que tienes.",
    "fr": "Désolé : pour l'instant je ne peux vous aider qu'en anglais. Écrivez-moi en anglais votre objectif "
    "professionnel, votre budget et le temps dont vous disposez.",
    "de": "Entschuldigung: Ich kann Ihnen im Moment nur auf Englisch helfen. Schreiben Sie mir bitte auf Englisch "
    "Ihr Berufsziel, Ihr Budget und wie viel Zeit Sie haben.",
    "pt": "Desculpe: por enquanto só posso ajudar em inglês. Escreva-me em inglês o seu objetivo profissional, "
    "o seu orçamento e o tempo que tem.",
}
ENGLISH_ONLY = (
    "I work in English only for now. Tell me in English your career aim, your budget and how much "
    "time you have, and I'll suggest options."
)


def language_of(text: str) -> str | None:
    """The other language ``text`` is written in (es, fr, de, pt), or None for English or when unsure."""
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    if len(words) < 3:
        return None
    english = sum(w in _ENGLISH for w in words)
    scores = {code: sum(w in vocab for w in words) for code, vocab in _WORDS.items()}
    best = max(scores, key=scores.get)
    if scores[best] >= max(3, english + 2) and scores[best] >= len(words) * 0.4:
        return best
    return None


def other_language_note(text: str) -> str | None:
    """What to say to a message in another language: in that language, then in English."""
    code = language_of(text)
    return f"{NOTES[code]}\n{ENGLISH_ONLY}" if code else None
