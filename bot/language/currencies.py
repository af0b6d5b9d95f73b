"""Currencies named in words: "Canadian dollars", "aussie dollars", and a currency said alone as the
answer to "Which currency is 200 in?" ("rupees", "in euros please")."""

from __future__ import annotations

import re

COUNTRY_DOLLARS = {
    "aussie": "AUD",
    "australian": "AUD",
    "canadian": "CAD",
    "kiwi": "NZD",
    "new zealand": "NZD",
    "us": "USD",
    "american": "USD",
    "singapore": "SGD",
    "singaporean": "SGD",
}
# "800 Canadian", "500 aussie": an amount with the country's adjective alone is in its dollars
AMOUNT_COUNTRY_RE = re.compile(
    r"(\d[\d,.]*\s*k?)\s+("
    + "|".join(sorted(set(COUNTRY_DOLLARS) - {"us"}, key=len, reverse=True))
    + r")\b(?!\s+dollars?)",
    re.I,
)
# "1500 Canadian dollars", "600 aussie dollars": read as the currency's code
COUNTRY_DOLLARS_RE = re.compile(
    r"\b(" + "|".join(sorted(COUNTRY_DOLLARS, key=len, reverse=True)).replace(" ", r"\s+") + r")\s+dollars?\b",
    re.I,
)
_CURRENCY_ALONE = re.compile(
    r"\b(?:(" + "|".join(sorted(COUNTRY_DOLLARS, key=len, reverse=True)) + r")\s+dollars?|"
    r"(?:indian\s+)?(rupees?|inr|rs)|(pounds?|quid|sterling|gbp)|(euros?|eur)|(dollars?|usd|bucks)|"
    r"(aud|cad|nzd|sgd|chf|francs?|jpy|yen))\b",
    re.I,
)


def currency_named(text: str) -> str | None:
    """The currency a short answer names ("rupees", "aussie dollars", "in euros please"), or None."""
    m = _CURRENCY_ALONE.search(text)
    if not m:
        return None
    country, rupees, pounds, euros, dollars, code = m.groups()
    if country:
        return COUNTRY_DOLLARS[country.lower()]
    if rupees:
        return "INR"
    if pounds:
        return "GBP"
    if euros:
        return "EUR"
    if dollars:
        return "USD"
    return {"franc": "CHF", "francs": "CHF", "yen": "JPY"}.get(code.lower(), code.upper())


#: How replies name the currencies of the catalogue's prices.
CURRENCY_NAMES = {
    "USD": "US dollars",
    "GBP": "pounds sterling",
    "EUR": "euros",
    "AUD": "Australian dollars",
    "CAD": "Canadian dollars",
    "NZD": "New Zealand dollars",
    "SGD": "Singapore dollars",
    "INR": "Indian rupees",
    "CHF": "Swiss francs",
    "JPY": "Japanese yen",
    "SEK": "Swedish kronor",
    "NOK": "Norwegian kroner",
    "DKK": "Danish kroner",
    "BRL": "Brazilian reais",
    "KES": "Kenyan shillings",
    "NGN": "Nigerian naira",
    "ZAR": "South African rand",
    "MXN": "Mexican pesos",
    "EGP": "Egyptian pounds",
    "AED": "UAE dirhams",
    "MYR": "Malaysian ringgit",
    "PKR": "Pakistani rupees",
    "GHS": "Ghanaian cedis",
}
