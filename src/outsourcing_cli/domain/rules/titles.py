"""Rules on titles, places and events: areas in designated cities, the primary flag, date bounds,
duplicate and revoked events, titles for their subjects, totals, conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import dates, history
from ..findings import Finding
from ..model import FactBase, Record
from .common import _at, _ids


def areas_in_designated_cities(base: FactBase) -> Iterator[Finding]:
    """OSC401: a showcase area (or base) lies in a city that held a title when the area got its own:
    at the area's designation date; for an area without designations, as of the newest data (or,
    in data without designations, the city's primary_outsourcing_city flag)."""
    cities = _ids(base.of("city"))
    has_designations = bool(base.of("designation"))
    for area in base.of("area"):
        city = cities.get((area.city or "").lower())
        if city is None or area.id is None:
            continue
        grants = [d for d in history.designations_of(base, "area", area.id) if d.event == "granted"]
        if not grants:
            held = (
                history.titles_at(base, city, None)
                if has_designations
                else [True]
                if city.primary_outsourcing_city
                else []
            )
            if not held:
                yield _at(
                    area,
                    "city",
                    "OSC401",
                    f"showcase area '{area.id}' is in '{city.id}', which holds no title"
                    + ("" if has_designations else " and is not a primary outsourcing city"),
                )
            continue
        for grant in grants:
            point = history.period(grant).last or history.period(grant).first
            if point is None or history.holdings(history.designations_of(base, "city", city.id), point):
                continue
            later = history.first_title_after(base, city, point)
            yield _at(
                area,
                "city",
                "OSC401",
                f"showcase area '{area.id}' became {grant.title} ({dates.when(grant)}) while its city "
                f"'{city.id}' held no title"
                + (f"; the city's first title came later: {later.title} ({dates.when(later)})" if later else ""),
            )


def primary_flag(base: FactBase) -> Iterator[Finding]:
    """OSC402: primary_outsourcing_city is true exactly for the members of the total marked as the
    article's list (primary_list)."""
    lists = [t for t in base.of("total") if t.primary_list]
    for extra in lists[1:]:
        yield _at(
            extra,
            "primary_list",
            "OSC402",
            f"total '{extra.id}' is a second primary_list; only one total can define the flag "
            f"(the first is '{lists[0].id}')",
        )
    if not lists:
        return
    members = {m.lower() for m in lists[0].members}
    for city in base.of("city"):
        flagged = city.primary_outsourcing_city is True
        if city.id and flagged != (city.id.lower() in members):
            yield _at(
                city,
                "primary_outsourcing_city",
                "OSC402",
                f"city '{city.id}' has primary_outsourcing_city {str(flagged).lower()}, but it is "
                f"{'not ' if flagged else ''}a member of total '{lists[0].id}'",
            )


_BOUND_SOURCES = (("not_before", "not_before_source"), ("not_after", "not_after_source"))


def date_bounds(base: FactBase) -> Iterator[Finding]:
    """OSC403: bounds are in order, a date lies within its bounds, and each bound has its source."""
    for record in (*base.of("designation"), *base.of("total")):
        for bound, source in _BOUND_SOURCES:
            value, cited = getattr(record, bound), getattr(record, source)
            if value and not cited:
                yield _at(
                    record,
                    bound,
                    "OSC403",
                    f"{record.kind} '{record.id}' gives {bound} {value} without {source}: say which source sets it",
                )
            elif cited and not value:
                yield _at(record, source, "OSC403", f"{record.kind} '{record.id}' gives {source} without {bound}")
        lo, hi, date = record.not_before, record.not_after, record.date
        if lo and hi and dates.first_day(lo) > dates.last_day(hi):
            yield _at(
                record, "not_after", "OSC403", f"{record.kind} '{record.id}': not_after {hi} is before not_before {lo}"
            )
        if date and lo and dates.last_day(date) < dates.first_day(lo):
            yield _at(record, "date", "OSC403", f"{record.kind} '{record.id}': date {date} is before not_before {lo}")
        if date and hi and dates.first_day(date) > dates.last_day(hi):
            yield _at(record, "date", "OSC403", f"{record.kind} '{record.id}': date {date} is after not_after {hi}")


def duplicate_events(base: FactBase) -> Iterator[Finding]:
    """OSC404: no event is recorded twice."""
    seen: dict[tuple[Any, ...], Record] = {}
    for event in base.of("designation"):
        key = (
            event.subject_type,
            (event.subject or "").lower(),
            event.title,
            event.event,
            event.date,
            event.not_before,
            event.not_after,
        )
        if key in seen:
            yield _at(
                event,
                "id",
                "OSC404",
                f"designation '{event.id}' records the same event as '{seen[key].id}' (at {seen[key].at('id')})",
            )
        else:
            seen[key] = event


def revoked_after_held(base: FactBase) -> Iterator[Finding]:
    """OSC405: a title is revoked only from a subject that could have held it before."""
    for event in base.of("designation"):
        if event.event != "revoked":
            continue
        end = history.period(event).last
        grants = [
            g
            for g in base.of("designation")
            if g.event == "granted"
            and g.title == event.title
            and g.subject_type == event.subject_type
            and (g.subject or "").lower() == (event.subject or "").lower()
        ]
        if not any(end is None or (history.period(g).first or 0) <= end for g in grants):
            yield _at(
                event,
                "event",
                "OSC405",
                f"designation '{event.id}' revokes {event.title} from "
                f"'{event.subject}', which no designation granted it before",
            )


def titles_for_their_subjects(base: FactBase) -> Iterator[Finding]:
    """OSC406: a city title goes to a city, an area title to an area."""
    titles = _ids(base.of("title"))
    for event in base.of("designation"):
        title = titles.get((event.title or "").lower())
        if title is not None and event.subject_type and title.subject_type != event.subject_type:
            yield _at(
                event,
                "subject_type",
                "OSC406",
                f"designation '{event.id}' grants {title.id}, a title for {_a(title.subject_type)}, to "
                f"{_a(event.subject_type)}",
            )


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def totals_agree(base: FactBase) -> Iterator[Finding]:
    """OSC407: a source's count (and named members) of a title's holders agrees with the designations
    at its date: at least those that certainly held it, at most those that possibly did."""
    for total in base.of("total"):
        if total.title is None or total.count is None:
            continue
        point = history.total_point(total)
        if point is None:
            yield _at(total, "count", "OSC407", f"total '{total.id}' has no date or bound to check it at")
            continue
        holding = history.holders(base, total.title, point)
        held = {s for s, status in holding.items() if status == history.HELD}
        named = total.count - (total.unnamed or 0)
        when = dates.from_ordinal(point)
        if not len(held) <= named <= len(holding):
            yield _at(
                total,
                "count",
                "OSC407",
                f"total '{total.id}' counts {total.count} {total.title} holders"
                + (f" ({total.unnamed} not named)" if total.unnamed else "")
                + f" at {when}, but the designations give {len(held)} held"
                + (f" and {len(holding) - len(held)} possibly held" if len(holding) > len(held) else ""),
            )
        if total.members:
            members = {m.lower() for m in total.members}
            missing = sorted(held - members)
            stray = sorted(members - set(holding))
            if missing or stray:
                yield _at(
                    total,
                    "members",
                    "OSC407",
                    f"total '{total.id}' names members that disagree with the designations at {when}: "
                    + "; ".join(
                        part
                        for part in (
                            f"held but not named: {', '.join(missing)}" if missing else "",
                            f"named but not holding it: {', '.join(stray)}" if stray else "",
                        )
                        if part
                    ),
                )


def conflicts_well_formed(base: FactBase) -> Iterator[Finding]:
    """OSC408: a disagreement has two claims or more, and follows one of them (or none)."""
    for conflict in base.of("conflict"):
        if len(conflict.claims) < 2:
            yield _at(
                conflict,
                "claims",
                "OSC408",
                f"conflict '{conflict.id}' has {len(conflict.claims)} claim(s); a disagreement needs two or more",
            )
        if conflict.follows is not None and not 1 <= conflict.follows <= len(conflict.claims):
            yield _at(
                conflict,
                "follows",
                "OSC408",
                f"conflict '{conflict.id}' follows claim {conflict.follows}, but it has {len(conflict.claims)}",
            )
