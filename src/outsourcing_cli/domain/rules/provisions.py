"""Rules on provisions (issue 18): their scope, their dates, their chains of links."""

from __future__ import annotations

from collections.abc import Iterator

from .. import dates
from ..findings import Finding
from ..model import FactBase
from ..names import did_you_mean
from .common import _at, _ids


def provision_scopes(base: FactBase, unknown: dict[str, int] | None = None) -> Iterator[Finding]:
    """OSC409: a provision's scope names known titles, and places that are cities or areas.

    ``unknown``: as for ``references``, kinds whose file could not be read; a title or place that
    would have been there is counted, not reported (a title under "title", a place under "city")."""
    titles = _ids(base.of("title"))
    places = {**_ids(base.of("city")), **_ids(base.of("area"))}
    unknown = {} if unknown is None else unknown
    unread_places = "city" in unknown or "area" in unknown
    for provision in base.of("provision"):
        scope = provision.scope
        if scope is None:
            continue
        for index, title in enumerate(scope.titles):
            if "title" in unknown and title.lower() not in titles:
                unknown["title"] += 1
            elif title.lower() not in titles:
                yield _at(
                    provision,
                    f"scope.titles.{index}",
                    "OSC409",
                    f"provision '{provision.id}' reaches unknown title '{title}'{did_you_mean(title, titles)}",
                )
        for index, place in enumerate(scope.places):
            if unread_places and place.lower() not in places:
                unknown["city" if "city" in unknown else "area"] += 1
            elif place.lower() not in places:
                yield _at(
                    provision,
                    f"scope.places.{index}",
                    "OSC409",
                    f"provision '{provision.id}' reaches unknown place '{place}' (neither a city nor an "
                    f"area){did_you_mean(place, places)}",
                )


def provision_dates(base: FactBase) -> Iterator[Finding]:
    """OSC410: a provision ends on or after the day it starts."""
    for provision in base.of("provision"):
        start, end = provision.effective_from, provision.effective_until
        if start and end and dates.last_day(end) < dates.first_day(start):
            yield _at(
                provision,
                "effective_until",
                "OSC410",
                f"provision '{provision.id}' ends ({end}) before it starts ({start})",
            )


def provision_chains(base: FactBase) -> Iterator[Finding]:
    """OSC411: extends and supersedes links never lead back to where they start."""
    from ..provisions import cycles

    for provision, loop in cycles(base):
        yield _at(
            provision,
            "extends" if provision.extends else "supersedes",
            "OSC411",
            f"provision '{provision.id}' is part of a loop of links: {' -> '.join(loop)}",
        )
