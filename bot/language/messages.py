"""The sentences the assistant composes, read from ``data/messages.yml`` (README, "Changing what the
assistant says").

Staff change the wording there without touching the code. Each message has a stable key, the groups
of the file joined by dots ("handoff.text"), and may hold ``{named}`` places that the code fills in:
``say("handoff.text", contact=..., referral=...)``. The file (``MESSAGES_FILE`` overrides where it is)
is read once, when this module is imported, and checked against the code: every key the code says
must be in it, and each message must hold exactly the ``{names}`` the code fills in. A file that fails
the check stops the program at start-up with a message naming the key, rather than a conversation
failing half-way.

What the code says is read from the code itself (:func:`code_uses`): every call ``say("key", name=...)``
under ``bot/`` and ``actions/``, its key written out in the call (or a choice of two written out:
``say("a" if n == 1 else "b", n=n)``).
"""

from __future__ import annotations

import ast
import functools
import string
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT, messages_file

#: Where the code that says the messages lives (read for the keys and names it uses).
SOURCE_DIRS = (PROJECT_ROOT / "bot", PROJECT_ROOT / "actions")


class MessagesError(ValueError):
    """The messages file cannot be used: it cannot be read, or a message in it does not fit the code."""


def _shown(path: Path) -> str:
    """``path`` as the error messages name it: from the project folder when it is inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def placeholders(template: str) -> frozenset[str]:
    """The ``{names}`` in ``template``. Anything else in braces is a ValueError (``{{`` and ``}}``
    stand for a brace itself)."""
    names = set()
    for _text, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"{{{name}}} is not a name in braces (a brace itself is written {{{{ or }}}})")
        names.add(name)
    return frozenset(names)


def _flatten(node: object, key: str, shown: str, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for name, value in node.items():
            if not isinstance(name, str):  # YAML reads yes, no, on, off as true or false
                raise MessagesError(f'{shown}: "{key}" holds {name!r}, which is not a name in words.')
            _flatten(value, f"{key}.{name}" if key else name, shown, out)
        return
    if not isinstance(node, str) or not node.strip():
        raise MessagesError(f'{shown}: "{key}" must be a sentence in words (it is {node!r}).')
    try:
        placeholders(node)
    except ValueError as exc:
        raise MessagesError(f'{shown}: "{key}": {exc}.') from None
    out[key] = node


def read(path: Path) -> dict[str, str]:
    """The messages in ``path`` by key, each a template whose braces hold plain names."""
    shown = _shown(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MessagesError(f"The messages file {shown} cannot be read: {exc.strerror or exc}.") from None
    except yaml.YAMLError as exc:
        raise MessagesError(f"The messages file {shown} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise MessagesError(f"The messages file {shown} must hold groups of messages under their keys.")
    table: dict[str, str] = {}
    _flatten(data, "", shown, table)
    return table


def _key_of(node: ast.expr) -> list[str] | None:
    """The keys a ``say()`` call's first argument names: a string, or a choice between strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _key_of(node.body), _key_of(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _calls(path: Path) -> list[tuple[str, frozenset[str], str]]:
    """(key, names filled in, where) of every ``say()`` call in the file at ``path``."""
    where = _shown(path)
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=where)):
        func = getattr(node, "func", None)
        if not isinstance(node, ast.Call) or getattr(func, "id", getattr(func, "attr", None)) != "say":
            continue
        keys = _key_of(node.args[0]) if len(node.args) == 1 else None
        if keys is None or any(k.arg is None for k in node.keywords):
            raise MessagesError(
                f"{where}:{node.lineno}: say() takes its key written out, and the values by name: "
                'say("group.key", name=value).'
            )
        names = frozenset(k.arg for k in node.keywords if k.arg)
        out += [(key, names, f"{where}:{node.lineno}") for key in keys]
    return out


@functools.cache
def code_uses(dirs: tuple[Path, ...] = SOURCE_DIRS) -> dict[str, frozenset[str]]:
    """The keys the code under ``dirs`` says, each with the names it fills in."""
    uses: dict[str, frozenset[str]] = {}
    seen: dict[str, str] = {}
    for folder in dirs:
        for path in sorted(folder.rglob("*.py")):
            if "say(" not in path.read_text(encoding="utf-8"):
                continue
            for key, names, where in _calls(path):
                if key in uses and uses[key] != names:
                    raise MessagesError(f'{where}: "{key}" is filled in with other names than at {seen[key]}.')
                uses[key], seen[key] = names, where
    return uses


def _names(names: frozenset[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names)) or "no {names}"


def check(table: dict[str, str], uses: dict[str, frozenset[str]], shown: str, complete: bool = False) -> None:
    """Every key in ``uses`` is in ``table``, with exactly the names the code fills in (and, when
    ``complete``, every key of ``table`` is used); otherwise a MessagesError lists what is wrong."""
    problems = []
    for key, names in sorted(uses.items()):
        if key not in table:
            problems.append(f'"{key}" is missing: the assistant says it (with {_names(names)}).')
            continue
        held = placeholders(table[key])
        if held != names:
            problems.append(
                f'"{key}" must hold {_names(names)}, the values the assistant fills in; it holds {_names(held)}.'
            )
    if complete:
        problems += [f'"{key}" is not said anywhere in the code.' for key in sorted(set(table) - set(uses))]
    if problems:
        raise MessagesError(f"The messages file {shown} does not fit the code:\n" + "\n".join(problems))


def load(path: Path) -> dict[str, str]:
    """The messages in ``path``, checked against the code (:func:`check`)."""
    table = read(path)
    check(table, code_uses(), _shown(path))
    return table


#: The messages in use, by key.
TABLE: dict[str, str] = load(messages_file())


def say(key: str, **values: object) -> str:
    """The message ``key`` with its ``{names}`` filled in from ``values``."""
    return TABLE[key].format_map(values)
