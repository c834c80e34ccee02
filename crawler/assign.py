"""Assigning a report to a registered body by the name the document gives (and its title).

Reports write names many ways: with or without the county prefix (云溪县财政局 / 财政局), with
人民政府 or not, or an alias the registry lists. The longest registered form found in the text wins;
if none is found verbatim, a fuzzy match (rapidfuzz) of at least ``FUZZY_THRESHOLD`` may decide. No
match, or a tie between bodies, leaves the report unassigned: a wrong owner is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from parsers.folding import fold
from storage.crawl_state import AgencyNames

FUZZY_THRESHOLD = 90
_SUFFIXES = ("人民政府", "政府", "办事处")
# What is left of a name without its county prefix must still name someone.
_GENERIC = frozenset({"人民政府", "政府", "人民", "办事处", "管委会", "委员会", "县人民", "县", "人民政府办公室"})
_PUNCT = re.compile(r"[\s\u3000（）()【】\[\]《》<>“”\"'·、，,。:：;；\-—_]")
_COUNTY = re.compile(r"^(.+?(?:自治县|自治旗|县|市|区|旗|实验区))")


def normalise(text: str) -> str:
    # Reports in traditional script give their names as printed (某某鎮): folded, they meet the
    # registry's simplified names.
    return _PUNCT.sub("", fold(text or ""))


def _county_prefix(agencies: Sequence[AgencyNames]) -> dict[str, str]:
    """Each body's county name: its own if it is a county government, else its parent's."""
    names = {a.id: a for a in agencies}
    prefixes: dict[str, str] = {}
    for agency in agencies:
        owner = agency
        for _ in range(4):
            if owner.level == "county_government" or owner.parent_id not in names:
                break
            owner = names[owner.parent_id]  # type: ignore[index]
        match = _COUNTY.match(normalise(owner.name)) if owner.level == "county_government" else None
        if match:
            prefixes[agency.id] = match.group(1)
    return prefixes


@dataclass(frozen=True)
class AgencyMatcher:
    """Every form of every registered name, ready to look up."""

    forms: tuple[tuple[str, str], ...]  # (normalised form, agency id), longest first
    # A bare county name (云溪县) names the county government only when it is the whole name given.
    whole_names: tuple[tuple[str, str], ...] = ()

    @classmethod
    def build(cls, agencies: Sequence[AgencyNames]) -> AgencyMatcher:
        prefixes = _county_prefix(agencies)
        pairs: set[tuple[str, str]] = set()
        whole: set[tuple[str, str]] = set()
        for agency in agencies:
            prefix = prefixes.get(agency.id, "")
            for raw in (agency.name, *agency.aliases):
                name = normalise(raw)
                if not name:
                    continue
                variants = {name}
                for suffix in _SUFFIXES:
                    if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                        variants.add(name[: -len(suffix)])
                for variant in list(variants):
                    if prefix and variant.startswith(prefix) and len(variant) - len(prefix) >= 2:
                        variants.add(variant[len(prefix) :])
                    elif prefix and not variant.startswith(prefix):
                        variants.add(prefix + variant)
                for variant in variants:
                    if len(variant) < 2 or variant in _GENERIC:
                        continue
                    if variant == prefix:
                        whole.add((variant, agency.id))
                    else:
                        pairs.add((variant, agency.id))
        return cls(tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0], p[1]))), tuple(sorted(whole)))

    def match(self, *texts: str | None) -> str | None:
        """The body named in the first text that names exactly one; None if none does."""
        for text in texts:
            if not text:
                continue
            exact = {agency_id for form, agency_id in self.whole_names if form == normalise(text)}
            if len(exact) == 1:
                return exact.pop()
            found = self._verbatim(normalise(text))
            if found is not None:
                return found
        for text in texts:
            if text:
                found = self._fuzzy(normalise(text))
                if found is not None:
                    return found
        return None

    def _verbatim(self, text: str) -> str | None:
        best_length = 0
        owners: set[str] = set()
        for form, agency_id in self.forms:
            if len(form) < best_length:
                break
            if form in text:
                best_length = len(form)
                owners.add(agency_id)
        return owners.pop() if len(owners) == 1 else None

    def _fuzzy(self, text: str) -> str | None:
        scored: dict[str, float] = {}
        for form, agency_id in self.forms:
            if len(form) < 4:
                continue
            score = fuzz.partial_ratio(form, text)
            if score >= FUZZY_THRESHOLD and score > scored.get(agency_id, 0):
                scored[agency_id] = score
        if not scored:
            return None
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None
        return ranked[0][0]
