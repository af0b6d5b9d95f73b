"""A list of options as the person sees it: what fits, the nearest misses, what is named apart, and the
notes under the list (:class:`Recommendation`), built by :meth:`bot.advice.service.Advisor.recommend`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bot.advice.explain import (
    MODE_LABEL,
    as_written,
    credential_payload,
    in_reply_order,
    named_products,
    recommendation_parts,
    unpriced_for_free,
)
from bot.advice.matching import Match, level_said, off_level, workload_gap
from bot.language.countries import region_name
from bot.language.fields import describe_fields, related_fields, rival_products
from bot.language.messages import say
from bot.model import Constraints, CredentialRecord, mainly_about, named_in


@dataclass
class Recommendation:
    fitting: list[Match]
    near: list[Match]
    constraints: Constraints
    #: the person's own constraints when ``fitting`` comes from a related field (then said in the intro)
    related_to: Constraints | None = None
    #: a later page of the same list ("other options?"): what fitted was shown before
    more: bool = False
    #: options that only may fit and are less suited to the person (:func:`leave_out`): named, not listed
    left_out: list[Match] = dataclasses.field(default_factory=list)
    #: credentials of the person's field offered only where they are not (not listed: named, with where)
    elsewhere: list[CredentialRecord] = dataclasses.field(default_factory=list)
    #: credentials of the person's field not offered online, when they asked for online only and nothing is listed
    on_site: list[CredentialRecord] = dataclasses.field(default_factory=list)
    #: options about a rival of the product the person named (:func:`bot.advice.explain.rivals_apart`)
    rivals: list[Match] = dataclasses.field(default_factory=list)
    #: options mainly about a field the person turned down
    refused: list[Match] = dataclasses.field(default_factory=list)

    @property
    def aside(self) -> list[Match]:
        """The nearest options that break something the person said, when others fit or may fit: named in
        one line with what each breaks, not listed as options beside those (a related field's list keeps
        them, as its heading says)."""
        if self.related_to is not None or not (self.fitting or any(not m.breaks for m in self.near)):
            return []
        return [m for m in self.near if m.breaks]

    @property
    def named_ids(self) -> list[str]:
        """The options the reply names under the list without listing them ("the Google data one" may mean one)."""
        named = [m.record.id for m in (*self.aside, *self.left_out, *self.rivals, *self.refused)]
        return named + [r.id for r in (*self.elsewhere, *self.on_site)]

    @property
    def listed_near(self) -> list[Match]:
        """The nearest misses listed as options: all but :attr:`aside`."""
        aside = {id(m) for m in self.aside}
        return [m for m in self.near if id(m) not in aside]

    @property
    def shown(self) -> list[Match]:
        """In the order of the reply (:func:`bot.advice.explain.in_reply_order`)."""
        return in_reply_order(self.fitting, self.listed_near, self.constraints)

    def aside_line(self) -> str | None:
        """ "Also close, but each breaks something you said: X (costs $1,500, $500 over your budget); …" """
        if not self.aside:
            return None
        named = "; ".join(f"{m.record.title} ({', '.join(m.break_reasons)})" for m in self.aside)
        return say("list.aside", options=named)

    def left_out_line(self) -> str | None:
        """ "Also in our catalogue, but not checked against what you said and less suited to you: X (mainly
        about bioinformatics); Y (intermediate level)." """
        if not self.left_out:
            return None
        named = "; ".join(f"{m.record.title} ({self._why_left_out(m)})" for m in self.left_out)
        return say("list.left_out", options=named)

    def _why_left_out(self, m: Match) -> str:
        c = self.constraints
        if off_level(m, c):
            return say("list.left_out_level", level=level_said(m, c))
        if unpriced_for_free(m, c) and (not c.fields or mainly_about(m.record, c.fields)):
            return say("list.left_out_unpriced")
        return say("list.left_out_field", field=describe_fields(m.record.fields[:1]))

    def elsewhere_line(self) -> str | None:
        """ "Not listed because you said you are in Scotland: NPQ for Headship (England only)." """
        if not self.elsewhere or not self.constraints.region:
            return None
        named = "; ".join(f"{r.title} ({' and '.join(map(region_name, r.regions))} only)" for r in self.elsewhere)
        return say("list.only_elsewhere", region=region_name(self.constraints.region), options=named)

    def on_site_line(self) -> str | None:
        """ "Not listed because you asked for online only: EMBO Laboratory Leadership (on site)." """
        if not self.on_site:
            return None
        named = "; ".join(f"{r.title} ({MODE_LABEL.get(r.delivery_mode, r.delivery_mode)})" for r in self.on_site)
        return say("list.only_on_site", options=named)

    def rivals_line(self) -> str | None:
        """ "Not listed because you asked about AWS: Microsoft Azure Fundamentals (Azure)." """
        if not self.rivals:
            return None
        c = self.constraints
        asked = named_products(c)

        def written(p: str, records: list[CredentialRecord]) -> str:
            return as_written((p,), [t for r in records for t in (r.title, *r.topics)])

        shown = [m.record for m in (*self.fitting, *self.near)]
        named = "; ".join(
            f"{m.record.title} ({', '.join(written(p, [m.record]) for p in rival_products(c.fields, asked) if named_in(m.record, (p,)))})"
            for m in self.rivals
        )
        return say("list.rivals", asked=" or ".join(written(p, shown) for p in asked), options=named)

    def refused_line(self) -> str | None:
        """ "Not listed because you said you are not interested in marketing analytics: X." """
        if not self.refused:
            return None
        named = "; ".join(m.record.title for m in self.refused)
        return say("list.refused", fields=describe_fields(self.constraints.refused), options=named)

    def gap_note(self) -> str | None:
        return None if self.fitting else workload_gap(self.constraints, self.near)

    def field_note(self) -> str | None:
        """When the person's field has fewer than three options that fit, say how many, and offer the
        nearest related fields by name (the list is never filled from the broad aim without saying so)."""
        c = self.constraints
        if not c.fields or len(self.fitting) >= 3 or self.related_to is not None:
            return None
        field = describe_fields(c.fields)
        n = len(self.fitting)
        count = say("field_note.many", n=n) if n > 1 else say("field_note.one" if n else "field_note.none")
        unchecked = sum(1 for m in self.listed_near if not m.breaks)
        if unchecked:
            head = say("field_note.fit_and_unchecked", count=count, field=field, unchecked=unchecked)
        else:
            head = say("field_note.fit", count=count, field=field)
        related = [describe_fields([code]) for code in related_fields(c.fields)][:2]
        if len(related) > 1:
            offer = say("field_note.offer_two", first=related[0], second=related[1])
        elif related:
            offer = say("field_note.offer_one", field=related[0])
        else:
            offer = say("field_note.offer_broader")
        return f"{head} {offer}"

    def apart_lines(self) -> list[str]:
        """The lines under the list that name options not listed, and why each is set apart."""
        lines = (
            self.aside_line(),
            self.left_out_line(),
            self.elsewhere_line(),
            self.on_site_line(),
            self.rivals_line(),
            self.refused_line(),
        )
        return [line for line in lines if line]

    def text(self, intro: str = "") -> str:
        heading, lines, hint = recommendation_parts(self.fitting, self.listed_near, self.constraints, intro, self.more)
        tail = [line for line in (*self.apart_lines(), hint, self.field_note()) if line]
        return "\n".join([heading, *lines, *tail])

    def payload(self, intro: str = "") -> dict:
        heading, _lines, hint = recommendation_parts(self.fitting, self.listed_near, self.constraints, intro, self.more)
        hint = " ".join(line for line in (*self.apart_lines(), self.field_note(), hint) if line)
        return credential_payload(self.shown, heading, hint)


def near_wanted(fitting: int, n: int) -> int:
    """With few options that fit, also show the nearest misses, each with what it breaks."""
    if not fitting:
        return n
    if fitting < 3:
        return min(2, n - fitting)
    return 0
