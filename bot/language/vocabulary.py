"""Word families the intent classifier is told about (read by ``bot.nlu.features``).

A classifier trained on a few thousand examples only knows the words it has seen, and a word seen
once ("ciao", "ECTS", "legit") teaches it little. Each family below names words that mean the same
kind of thing in this assistant's world; the featurizer marks a message with the families it
mentions, so a new farewell or a new credit term is read like the ones in the training data.

Families describe meaning, not intents: "price" words appear in requests for cheaper options and in
budgets alike, "credit" words in questions about academic credit and in out-of-scope questions
about credit cards, and the classifier learns from the examples how much each family counts.
Phrases are matched as whole words, case-insensitively. Changing this file retrains the model.
"""
from __future__ import annotations

FAMILIES: dict[str, tuple[str, ...]] = {
    "salutation": (
        "hi", "hello", "hey", "hiya", "heya", "howdy", "greetings", "good morning", "good afternoon",
        "good evening", "morning", "evening", "yo", "sup", "hola", "salut", "bonjour", "ciao", "hallo",
        "namaste", "g'day", "aloha", "hey there", "hi there",
    ),
    "farewell": (
        "bye", "goodbye", "good bye", "bye-bye", "byebye", "see you", "see ya", "cya", "later", "laters",
        "farewell", "cheerio", "ciao", "adios", "au revoir", "so long", "take care", "good night",
        "goodnight", "night night", "have a nice day", "have a good day", "have a good one", "gotta go",
        "got to go", "gotta run", "have to go", "must go", "head off", "heading off", "signing off",
        "logging off", "log off", "until next time", "talk soon", "speak soon", "catch you", "i'm off",
        "i'm done", "that's all", "that's everything", "leave it there", "stop here",
    ),
    "gratitude": (
        "thanks", "thank you", "thank", "thankyou", "cheers", "ta", "grateful", "appreciate",
        "appreciated", "helpful", "much obliged", "thx", "ty", "many thanks", "nice one", "brilliant",
        "great help", "you're a star", "legend",
    ),
    "person": (
        "human", "humans", "person", "someone", "somebody", "anyone", "advisor", "adviser", "advisers",
        "advisors", "agent", "operator", "staff", "member of staff", "real person", "careers service",
        "careers team", "careers office", "counsellor", "counselor", "consultant", "phone", "call",
        "appointment", "meeting", "talk to", "speak to", "speak with", "talk with",
    ),
    "machine": (
        "bot", "robot", "machine", "computer", "program", "chatbot", "automated", "algorithm", "ai",
        "software", "artificial", "real", "alive", "sentient",
    ),
    "credential": (
        "micro-credential", "micro-credentials", "microcredential", "microcredentials", "micro credential",
        "micro credentials", "credential", "credentials", "certificate", "certificates", "cert", "certs",
        "course", "courses", "nanodegree", "nanodegrees", "nano-degree", "micromasters", "badge", "badges",
        "certification", "certifications", "programme", "programmes", "program", "programs",
        "qualification", "qualifications", "mooc", "moocs", "diploma", "bootcamp", "training",
    ),
    "study": (
        "study", "studying", "studies", "learn", "learning", "learnt", "learned", "upskill", "upskilling",
        "reskill", "reskilling", "retrain", "retraining", "skill", "skills", "skill up", "get qualified",
        "professional development", "cpd", "develop myself", "part-time", "part time", "evening class",
        "evening classes", "online learning", "distance learning", "employable", "prospects",
    ),
    "listed_item": (
        "this one", "that one", "the first", "the second", "the third", "the fourth", "the fifth",
        "the last one", "number one", "number two", "number three", "number four", "number five",
        "option", "options", "it", "this", "that", "these", "those", "the one", "you mentioned",
        "you suggested", "you listed", "you showed", "above",
    ),
    "academic_credit": (
        "credit", "credits", "ects", "cats", "credit-bearing", "credit bearing", "credit-rated",
        "credit rated", "level 4", "level 5", "level 6", "level 7", "towards", "count towards",
        "master's", "masters", "degree", "module", "modules", "rpl", "prior learning", "stack", "stacked",
        "stackable", "stacking", "transfer", "exempt", "exemption", "university credit", "academic credit",
    ),
    "employer_value": (
        "employer", "employers", "recognised", "recognized", "recognise", "recognize", "recognition",
        "cv", "resume", "résumé", "linkedin", "job", "jobs", "hiring", "hire", "recruiter", "recruiters",
        "industry", "worth", "value", "valued", "respected", "count for", "carry weight", "taken seriously",
        "career", "interview", "interviews", "promotion", "hr",
    ),
    "quality": (
        "accredited", "accreditation", "accredit", "legit", "legitimate", "scam", "genuine", "quality",
        "validated", "validates", "validate", "regulated", "regulator", "approved", "quality assured",
        "quality assurance", "trustworthy", "trust", "reputable", "reputation", "proper", "official",
        "endorsed", "recognised body", "awarding body", "qaa", "ofqual", "teqsa", "nzqa",
    ),
    "price": (
        "cheaper", "cheapest", "cheap", "less", "lower", "low-cost", "low cost", "free", "price", "prices",
        "cost", "costs", "expensive", "pricey", "afford", "affordable", "money", "budget", "pay", "pays", "paying", "paid",
        "fee", "fees", "spend", "discount", "price range", "too much",
    ),
    "restart": (
        "start over", "start again", "restart", "reset", "forget", "wipe", "clear", "begin again",
        "from scratch", "new search", "scrap", "fresh start", "from the beginning", "from the top",
        "redo", "clean slate",
    ),
    "more": (
        "more", "else", "other", "others", "alternatives", "alternative", "another", "different", "next",
        "keep going", "additional", "further", "extra", "rest", "besides",
    ),
    "details": (
        "details", "detail", "info", "information", "about", "tell me", "what's in", "covered", "cover",
        "syllabus", "curriculum", "content", "topics", "how long", "how many hours", "workload", "assessed",
        "assessment", "graded", "exam", "entry requirements", "prerequisites", "deadline", "deadlines",
        "self-paced", "start date", "enrol", "enroll", "who runs", "provider", "taught",
    ),
    "advice": (
        "recommend", "recommendation", "suggest", "suggestion", "advise", "advice", "guidance", "guide",
        "help me choose", "help me pick", "help me find", "which", "what should", "should i", "best",
        "good option", "point me", "where do i start", "looking for", "find me", "pick", "choose",
    ),
    "goal": (
        "i want to", "i'd like to", "i would like to", "my goal", "my aim", "aiming", "aim", "become",
        "be a", "work in", "work as", "get into", "move into", "switch to", "retrain", "career in",
        "role as", "role in", "job in", "job as", "dream", "hoping to", "planning to", "interested in",
    ),
    "time": (
        "hour", "hours", "hrs", "week", "weeks", "month", "months", "day", "days", "evening", "evenings",
        "weekend", "weekends", "semester", "term", "summer", "year", "a week", "per week", "a day",
        "by", "until", "deadline",
    ),
}
