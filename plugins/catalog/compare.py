"""Two projects side by side: the rows of a comparison and its "choose X if … / Y if …".

Everything here is drawn from the catalog's sourced facts; the figures (downloads, releases,
stars) are added by the template from the data the other plugins attached. No judgement is
invented: a reason to choose one project is a fact it answers yes (or a value it lists) where
the other answers no (or does not list it). An unknown answer is never a reason either way; it is
named as unknown instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from linkcheck.catalog import Catalog, Entry, Fact, did_you_mean
from linkcheck.catalog.schema import KIND_FACTS, LIST_FACTS, fact_label

# The folder of the generated pages: compare/celery-vs-rq.html
FOLDER = "compare"

# What a "yes" gives a reader, as the end of "choose X if you need …".
YES_PHRASES: dict[str, str] = {
    "asyncio": "tasks written as async def",
    "scheduling": "periodic schedules built in",
    "retries": "automatic retries",
    "priorities": "task priorities",
    "rate_limits": "rate limits",
    "results": "stored task results",
    "monitoring": "a monitoring web UI",
    "in_process": "jobs run inside your own process",
    "cron": "cron expressions",
    "persistence": "jobs that survive a restart",
    "durable": "durable execution",
    "metrics": "Prometheus metrics",
}
# The same for a list value: "{values}" is "Amazon SQS or Kafka".
LIST_PHRASES: dict[str, str] = {
    "brokers": "{values} as the broker",
    "frameworks": "a documented {values} integration",
    "hosting": "{values}",
    "works_with": "support for {values}",
    "protocols": "the {values}",
}
# Where a kind reads a list differently (a scheduler's "brokers" is where it keeps schedules).
KIND_LIST_PHRASES: dict[str, dict[str, str]] = {
    "scheduler": {"brokers": "schedules stored in {values}", "works_with": "scheduling tasks of {values}"},
    "workflow": {"brokers": "state stored in {values}"},
    "monitoring": {"works_with": "watching {values}"},
}
assert set(YES_PHRASES) | set(LIST_PHRASES) >= {k for keys in KIND_FACTS.values() for k in keys}

STRENGTH = {"yes": 2, "partial": 1, "no": 0}


def join_or(items: Sequence[str], word: str = "or", sep: str = ", ") -> str:
    """'a', 'a or b', 'a, b or c' (with sep="; ": 'a; b; or c', for items with commas of their own)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if sep != ", ":
        return f"{sep.join(items[:-1])}{sep}{word} {items[-1]}"
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


@dataclass(frozen=True)
class Row:
    """One fact of a comparison: its label and each side's fact (None: unknown), in schema order."""

    key: str
    label: str
    facts: tuple[Fact | None, ...]


@dataclass
class Side:
    entry: Entry
    gains: list[str] = field(default_factory=list)  # "choose this one if you need …"
    unknown: list[str] = field(default_factory=list)  # labels the other side answers, this one not


@dataclass
class Comparison:
    """Two projects of one kind, the rows they are compared on and what tells them apart."""

    a: Side
    b: Side
    rows: list[Row]
    both: list[str]  # what both have (yes for both, or values both list)

    @property
    def entries(self) -> tuple[Entry, Entry]:
        return (self.a.entry, self.b.entry)

    @property
    def slug(self) -> str:
        return f"{self.a.entry.id}-vs-{self.b.entry.id}"

    @property
    def url(self) -> str:
        return f"{FOLDER}/{self.slug}.html"

    @property
    def title(self) -> str:
        return f"{self.a.entry.name} vs {self.b.entry.name}"

    def sentences(self) -> list[str]:
        """"Choose X if you need … Choose Y if …", then what both have and what is not known: plain
        text drawn only from the rows (the template adds the figures and escapes everything)."""
        out = []
        for me, other in ((self.a, self.b), (self.b, self.a)):
            if me.gains:
                # items may hold commas and "or" of their own ("RabbitMQ, Redis or SQS as the broker")
                out.append(f"Choose {me.entry.name} if you need {join_or(me.gains, sep='; ')}.")
            else:
                out.append(f"Every feature of {me.entry.name} in this table, {other.entry.name} has too.")
        if self.both:
            out.append(f"Both offer {join_or(self.both, 'and')}.")
        for me in (self.a, self.b):
            if me.unknown:
                unknown = join_or(me.unknown, "and")
                out.append(f"Not known for {me.entry.name}: {unknown}.")
        return out


def _labels(catalog: Catalog | None, fact: Fact) -> list[str]:
    if fact.key == "works_with" and catalog is not None:
        return [(catalog.get(v).name if catalog.get(v) else v) for v in fact.values]
    return fact.value_labels()


def _list_phrase(key: str, kind: str | None, values: list[str]) -> str:
    template = KIND_LIST_PHRASES.get(kind or "", {}).get(key) or LIST_PHRASES[key]
    return template.format(values=join_or(values))


def _bool_gain(key: str, mine: Fact, theirs: Fact, their_name: str) -> str | None:
    """The phrase when ``mine`` answers more than ``theirs`` (yes > partial > no), else None."""
    if STRENGTH[mine.answer] <= STRENGTH[theirs.answer]:
        return None
    phrase = YES_PHRASES[key]
    if mine.answer == "partial":
        return f"{phrase} (partly: {mine.note})" if mine.note else f"{phrase} (partly)"
    if theirs.answer == "partial":
        return f"{phrase} in full ({their_name} only partly: {theirs.note})" if theirs.note else phrase
    return phrase


def compare(a: Entry, b: Entry, catalog: Catalog | None = None) -> Comparison:
    """The rows (the facts of both kinds, in schema order) and what tells ``a`` and ``b`` apart."""
    keys = list(dict.fromkeys(list(a.fact_keys()) + list(b.fact_keys())))
    kind = a.kind if a.kind == b.kind else None
    rows = [Row(k, fact_label(k, kind), (a.facts.get(k), b.facts.get(k))) for k in keys]
    sa, sb = Side(a), Side(b)
    both: list[str] = []
    for row in rows:
        fa, fb = row.facts
        if fa is None or fb is None:
            # unknown is never a reason either way; say which side leaves it open
            if fa is not None and fa.answer in ("yes", "partial", "list"):
                sb.unknown.append(row.label)
            if fb is not None and fb.answer in ("yes", "partial", "list"):
                sa.unknown.append(row.label)
            continue
        if row.key in LIST_FACTS:
            la, lb = _labels(catalog, fa), _labels(catalog, fb)
            only_a = [v for v in la if v not in lb]
            only_b = [v for v in lb if v not in la]
            shared = [v for v in la if v in lb]
            if only_a:
                sa.gains.append(_list_phrase(row.key, kind, only_a))
            if only_b:
                sb.gains.append(_list_phrase(row.key, kind, only_b))
            if shared:
                both.append(_list_phrase(row.key, kind, shared))
            continue
        gain_a = _bool_gain(row.key, fa, fb, b.name)
        gain_b = _bool_gain(row.key, fb, fa, a.name)
        if gain_a:
            sa.gains.append(gain_a)
        if gain_b:
            sb.gains.append(gain_b)
        if fa.answer == fb.answer == "yes":
            both.append(YES_PHRASES[row.key])
    return Comparison(sa, sb, rows, both)


def comparisons(catalog: Catalog, pairs: Iterable[Sequence[str]]) -> tuple[list[Comparison], list[str]]:
    """The configured pairs (``CATALOG['compare_pairs']``) in order, and a problem line for each
    pair that cannot be shown (an id the catalog's projects lack, with the closest id): the build
    warns and goes on, so a catalog without the project still builds (CatalogGenerator)."""
    projects = {e.id: e for e in catalog.section("projects")}
    out: list[Comparison] = []
    problems: list[str] = []
    seen: set[frozenset[str]] = set()
    for pair in pairs:
        ids = [str(one) for one in pair]
        if len(ids) != 2 or ids[0] == ids[1]:
            problems.append(f"compare pair {ids!r} skipped: give two different project ids")
            continue
        missing = [one for one in ids if one not in projects]
        if missing:
            hints = [did_you_mean(one, list(projects)).strip() for one in missing]
            hint = "; ".join(h for h in hints if h)
            problems.append(f"compare pair {ids!r} skipped: no project with id "
                            f"{', '.join(repr(m) for m in missing)}" + (f" ({hint})" if hint else ""))
            continue
        if frozenset(ids) in seen:
            continue
        seen.add(frozenset(ids))
        out.append(compare(projects[ids[0]], projects[ids[1]], catalog))
    return out, problems


def by_entry(found: Iterable[Comparison]) -> dict[str, list[tuple[Entry, Comparison]]]:
    """Entry id -> (the other project, the comparison) for every comparison the entry is in."""
    out: dict[str, list[tuple[Entry, Comparison]]] = {}
    for comparison in found:
        a, b = comparison.entries
        out.setdefault(a.id, []).append((b, comparison))
        out.setdefault(b.id, []).append((a, comparison))
    return out


def likeness(a: Entry, b: Entry) -> float:
    """How far the sourced answers of two projects agree, over the facts of ``a``'s kind: 1 for each
    boolean fact both answer alike (yes and yes, no and no, partial and partial), 0.5 for yes against
    partial, the share of values in common for a list fact (Redis and RabbitMQ against Redis: 0.5).
    A fact unknown on either side is no evidence either way and adds nothing."""
    score = 0.0
    for row in compare(a, b).rows:
        fa, fb = row.facts
        if fa is None or fb is None or row.key not in a.fact_keys():
            continue
        if row.key in LIST_FACTS:
            union = set(fa.values) | set(fb.values)
            score += len(set(fa.values) & set(fb.values)) / len(union) if union else 0.0
        elif fa.answer == fb.answer:
            score += 1.0
        elif {fa.answer, fb.answer} == {"yes", "partial"}:
            score += 0.5
    return score


def most_alike(entry: Entry, pool: Iterable[Entry], n: int = 3) -> list[Entry]:
    """The ``n`` projects of ``pool`` of the same kind as ``entry`` whose answers agree with its own
    the most (``likeness``; ties in ``pool``'s order), leaving out ``entry`` itself and those with
    nothing in common. The pool is the caller's: the maintained projects, in the default order."""
    scored = [(likeness(entry, other), other) for other in pool
              if other.id != entry.id and other.kind == entry.kind]
    ranked = sorted((pair for pair in scored if pair[0] > 0), key=lambda pair: -pair[0])  # stable
    return [other for _, other in ranked[:n]]
