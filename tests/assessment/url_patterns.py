"""Every URL pattern of the project as a concrete path, for tests that walk them all."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Fill(prefix, keyword, converter): the value for one keyword of a route, or None for a
# sample of the converter's kind. The prefix (e.g. "admin/assessment/membership/") says
# whose object an admin route's `object_id` is.
Fill = Callable[[str, str, str], str | None]

SAMPLES = {
    "int": "1",
    "slug": "sample",
    "str": "sample",
    "path": "sample/path",
    "uuid": "6f1c2d9e-8b0a-4c55-9d1e-2a3b4c5d6e7f",
}


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    callback: object
    keywords: frozenset[str]


def _samples(prefix: str, keyword: str, converter: str) -> str | None:
    return None


def _concrete_route(route: str, prefix: str, fill: Fill) -> tuple[str, set[str]]:
    """A concrete path for a `path()` route: each keyword filled, or a sample of its kind."""
    keywords: set[str] = set()

    def value(match: re.Match[str]) -> str:
        converter, keyword = match.group(1) or "str", match.group(2)
        keywords.add(keyword)
        return fill(prefix, keyword, converter) or SAMPLES[converter]

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, route), keywords


def _concrete_regex(regex: str, prefix: str, fill: Fill) -> tuple[str, set[str]]:
    """A concrete path for a `re_path()` pattern such as the admin's."""
    regex = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    keywords: set[str] = set()

    def group(match: re.Match[str]) -> str:
        keyword, body = match.group(1), match.group(2)
        if keyword:
            keywords.add(keyword)
            filled = fill(prefix, keyword, "re")
            if filled:
                return filled
        if re.fullmatch(r"[\w|]+", body):  # a list of literal alternatives, e.g. app labels
            return body.split("|")[0]
        return "1"

    regex = re.sub(r"\((?:\?P<(\w+)>)?((?:[^()]|\([^()]*\))*)\)", group, regex)
    return regex.replace("\\", ""), keywords


def walk(
    patterns: list[URLPattern | URLResolver] | None = None,
    fill: Fill = _samples,
    prefix: str = "",
    namespace: str = "",
) -> Iterator[Route]:
    """Every leaf pattern under `patterns` (the whole project by default), named as
    `reverse()` would name it, or by its view and path when it has no name."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        if pattern.__class__.__name__ == "RoutePattern":
            piece, keywords = _concrete_route(str(pattern), prefix, fill)
        else:
            piece, keywords = _concrete_regex(pattern.regex.pattern, prefix, fill)
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for route in walk(entry.url_patterns, fill, prefix + piece, space):
                yield Route(route.name, route.path, route.callback, route.keywords | keywords)
        else:
            path = "/" + prefix + piece
            name = f"{namespace}{entry.name or f'{entry.lookup_str} at {path}'}"
            yield Route(name, path, entry.callback, frozenset(keywords))
