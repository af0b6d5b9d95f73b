"""The assistant's replies as Slack Block Kit: text as mrkdwn (people's and the catalogue's text escaped,
so nobody can inject a mention or a link), lists of options as one section per credential with why it
fits and its caveats as context lines, suggested answers as buttons (a select menu past 25)."""

from __future__ import annotations

import re

#: Slack's limits: characters in a section's text, a context element, a button's label and value
SECTION_CHARS, CONTEXT_CHARS, LABEL_CHARS, VALUE_CHARS = 3000, 2000, 75, 2000
MAX_BUTTONS = 25
CHOICE_ACTION = "choice"


def escape(text: str) -> str:
    """Text shown as it is: ``&``, ``<`` and ``>`` escaped (no mention, link or channel can be injected)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def mrkdwn(text: str) -> str:
    """The assistant's Markdown as Slack mrkdwn, escaped: **bold** → *bold*."""
    return _BOLD.sub(r"*\1*", escape(text))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link(url: str | None, title: str) -> str:
    label = escape(title).replace("|", "¦")
    if url and re.match(r"^https?://[^\s<>|]+$", url):
        return f"<{url}|{label}>"
    return label


def _facts(item: dict) -> str:
    parts = [item.get("price_text") or "price not stated"]
    weeks, hours = item.get("duration_weeks"), item.get("hours_per_week")
    if weeks or hours:
        parts.append(", ".join(p for p in (weeks and f"{weeks:g} weeks", hours and f"{hours:g} h a week") if p))
    else:
        parts.append("time not stated")
    credit = item.get("credit")
    if credit:
        parts.append(
            f"{credit['value']:g} {credit['system']} credit" + ("" if credit.get("awarded") else " (not awarded)")
        )
    return " · ".join(escape(p) for p in parts)


def credential_blocks(payload: dict) -> list[dict]:
    """A ``credential_list`` payload: its intro, one section per credential, its hint."""
    blocks: list[dict] = []
    if payload.get("intro"):
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _cut(mrkdwn(payload["intro"]), SECTION_CHARS)}}
        )
    for i, item in enumerate(payload.get("items") or [], 1):
        head = f"*{i}. {_link(item.get('url'), item.get('title', ''))}*\n{escape(item.get('provider', ''))}"
        if item.get("kind"):
            head += f" · {escape(item['kind'])}"
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _cut(f"{head}\n{_facts(item)}", SECTION_CHARS)}}
        )
        lines = []
        if item.get("fit"):
            lines.append("Why it fits: " + "; ".join(item["fit"]))
        if item.get("break_reasons"):
            lines.append("Breaks: " + "; ".join(item["break_reasons"]))
        if item.get("unknown_reasons"):
            lines.append("Could not check: " + "; ".join(item["unknown_reasons"]))
        if item.get("caveats"):
            lines.append("Caveats: " + " ".join(item["caveats"]))
        lines.append(f"Last checked {item.get('last_checked', 'unknown')}")
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _cut(mrkdwn(line), CONTEXT_CHARS)} for line in lines[:10]],
            }
        )
    if payload.get("hint"):
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(mrkdwn(payload["hint"]), CONTEXT_CHARS)}]}
        )
    return blocks


def choice_blocks(buttons: list[dict]) -> list[dict]:
    """Suggested answers: buttons, or a select menu when there are more than Slack allows in a block."""
    options = [
        (_cut(b.get("title", ""), LABEL_CHARS), _cut(b.get("payload") or b.get("title", ""), VALUE_CHARS))
        for b in buttons
    ]
    if len(options) <= MAX_BUTTONS:
        elements = [
            {
                "type": "button",
                "action_id": f"{CHOICE_ACTION}-{i}",
                "text": {"type": "plain_text", "text": label, "emoji": False},
                "value": value,
            }
            for i, (label, value) in enumerate(options)
        ]
    else:
        elements = [
            {
                "type": "static_select",
                "action_id": f"{CHOICE_ACTION}-select",
                "placeholder": {"type": "plain_text", "text": "Choose an answer"},
                "options": [
                    {"text": {"type": "plain_text", "text": label}, "value": value} for label, value in options[:100]
                ],
            }
        ]
    return [{"type": "actions", "block_id": "choices", "elements": elements}]


def reply_blocks(message: dict) -> tuple[str, list[dict]]:
    """One message of the assistant (as Rasa's REST channel returns it): (fallback text, blocks)."""
    custom = message.get("custom")
    if isinstance(custom, dict) and custom.get("type") == "credential_list":
        blocks = credential_blocks(custom)
        fallback = custom.get("intro") or "Options"
    else:
        fallback = message.get("text") or ""
        blocks = (
            [{"type": "section", "text": {"type": "mrkdwn", "text": _cut(mrkdwn(fallback), SECTION_CHARS)}}]
            if fallback
            else []
        )
    if message.get("buttons"):
        blocks += choice_blocks(message["buttons"])
    return _cut(fallback, SECTION_CHARS), blocks


def chosen_blocks(blocks: list[dict], label: str) -> list[dict]:
    """The message after a click: its suggested answers replaced by the choice made (no live buttons left)."""
    kept = [b for b in blocks if b.get("type") != "actions"]
    return kept + [{"type": "context", "elements": [{"type": "mrkdwn", "text": f"You chose: *{escape(label)}*"}]}]
