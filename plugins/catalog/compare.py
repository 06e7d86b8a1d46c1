"""Two projects side by side: the rows of a comparison and its "choose X if … / Y if …".

Everything here is drawn from the catalog's sourced facts; the figures (downloads, releases,
stars) are added by the template from the data the other plugins attached. No judgement is
invented: a reason to choose one project is a fact it answers yes (or a value it lists) where
the other answers no (or does not list it). An unknown answer is never a reason either way; it is
named as unknown instead.
"""

from __future__ import annotations

import re
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
# List values that serve tests and development only: never a reason to choose, nor a likeness.
TEST_ONLY = frozenset({"memory", "filesystem"})


def join_or(items: Sequence[str], word: str = "or", sep: str = ", ") -> str:
    """'a', 'a or b', 'a, b or c' (with sep="; ": 'a; b; or c', for items with commas of their own)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if sep != ", ":
        return f"{sep.join(items[:-1])}{sep}{word} {items[-1]}"
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def short_name(entry: Entry) -> str:
    """The name without its parenthesis, for every mention after the first: "RQ (Redis Queue)" -> "RQ"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", entry.name) or entry.name


def mid_sentence(label: str) -> str:
    """A fact label inside a sentence: "Native asyncio" -> "native asyncio", "UI" stays "UI"."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


@dataclass(frozen=True)
class Row:
    """One fact of a comparison: its label and each side's fact (None: unknown), in schema order."""

    key: str
    label: str
    facts: tuple[Fact | None, ...]


# "Choose X if …" for values only one side lists, where "you need …" reads badly.
CHOOSE_LIST_PHRASES: dict[tuple[str, str], str] = {
    ("queue", "brokers"): "your broker is {values}",
    ("queue", "frameworks"): "you use {values}",
}


@dataclass
class Side:
    entry: Entry
    gains: list[str] = field(default_factory=list)  # "choose this one if you need …": yes against no
    limits: list[str] = field(default_factory=list)  # a partial the other answers no: "… in part: note"
    listed: list[str] = field(default_factory=list)  # list values only this side names, as a phrase
    only: dict[str, list[str]] = field(default_factory=dict)  # fact key -> those values (ids)
    # the same as "choose … if" clauses ("your broker is PostgreSQL or SQLite"), for a side with
    # nothing else to choose it for
    choose_listed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # this side's notes that speak of those values
    unknown: list[str] = field(default_factory=list)  # labels the other side answers, this one not


@dataclass(frozen=True)
class Line:
    """One item of the "choose" list, plain text: ``entry``'s status (with its source) goes between
    ``head`` and ``tail`` (the template adds it, and the figures, and escapes everything)."""

    head: str
    tail: str = ""
    entry: Entry | None = None


@dataclass
class Comparison:
    """Two projects of one kind, the rows they are compared on and what tells them apart."""

    a: Side
    b: Side
    rows: list[Row]
    both: list[str]  # what both have (yes for both, or values both list)
    neither: list[str] = field(default_factory=list)  # what both answer no
    both_partly: list[str] = field(default_factory=list)  # what both answer partial

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

    def short(self, entry: Entry) -> str:
        return short_name(entry)

    def lines(self) -> list[Line]:
        """Choose X if …, choose Y if …, what both offer, what neither does, what is not known:
        drawn only from the rows. A side's reasons are its yeses where the other says no (or only
        in part); without any, being maintained where the other has a status notice (the template
        adds the notice and its source); without that, its partial answers where the other says no
        ("… in part"); without those, the values only it lists ("if your broker is PostgreSQL").
        A side with nothing at all gets "Y has every feature of X in this table", or "… that this
        table answers for both" where Y leaves some unknown."""
        named: set[str] = set()

        def name(entry: Entry) -> str:
            first = entry.id not in named
            named.add(entry.id)
            return entry.name if first else short_name(entry)

        out: list[Line] = []
        for me, other in ((self.a, self.b), (self.b, self.a)):
            mine = name(me.entry)
            short, theirs = short_name(me.entry), short_name(other.entry)
            more: list[str] = []
            entry: Entry | None = me.entry
            said = False  # the values only this side lists are its reason already
            if me.gains:
                head, tail = f"Choose {mine}", f" if you need {join_or(me.gains)}."
                more += [f"It offers {limit}." for limit in me.limits]
            elif other.entry.status and not me.entry.status:
                head = f"Choose {mine} if you want a project under active development, unlike {theirs}"
                tail, entry = ".", other.entry
                more += [f"It offers {limit}." for limit in me.limits]
            elif me.limits:
                head, tail = f"Choose {mine}", f" if you need {join_or(me.limits)}."
            elif me.choose_listed:
                said = True
                head = f"Choose {mine}"
                tail = f" if {join_or(me.choose_listed)} (only {short} lists {'it' if _one(me) else 'them'})."
            else:  # "every feature" outright only where nothing is unknown on the other side
                head = f"{theirs} has every feature of {mine}"
                tail = " that this table answers for both." if other.unknown else " in this table."
                if me.entry.status and not other.entry.status and not other.gains:
                    entry = None  # the other side's line names this one's notice already
            if me.listed and not said:
                more.append(f"Only {short} lists {join_or(me.listed, 'and')}.")
            more += [f"{note[:1].upper()}{note[1:].rstrip('.')}." for note in me.notes]
            out.append(Line(head, " ".join([tail, *more]), entry))
        if self.both:
            out.append(Line(f"Both offer {join_or(self.both, 'and')}."))
        if self.both_partly:
            out.append(Line(f"Both offer {join_or(self.both_partly, 'and')} only in part."))
        if self.neither:
            out.append(Line(f"Neither offers {join_or(self.neither)}."))
        for me in (self.a, self.b):
            if me.unknown:
                unknown = join_or([mid_sentence(label) for label in me.unknown], "and")
                out.append(Line(f"Not known for {name(me.entry)}: {unknown}."))
        return out

    def more(self, found: Iterable[Comparison]) -> list[Comparison]:
        """The other side-by-side pages to offer below this one: those with either project; for a
        pair in no other (PgQueuer vs Procrastinate), those sharing a broker with it (the anchor
        of likeness); failing those, all of them, so the page is never a dead end."""
        others = [c for c in found if c.slug != self.slug]
        mine = {e.id for e in self.entries}
        with_either = [c for c in others if mine & {e.id for e in c.entries}]
        if with_either:
            return with_either
        brokers = set().union(*(_values(e, "brokers") for e in self.entries))
        sharing = [c for c in others if brokers & set().union(*(_values(e, "brokers") for e in c.entries))]
        return sharing or others

    def sentences(self) -> list[str]:
        """The lines as plain text, without the statuses."""
        return [f"{line.head}{line.tail}" for line in self.lines()]


def _one(side: Side) -> bool:
    return sum(len(values) for values in side.only.values()) == 1


def _sentence(note: str | None) -> bool:
    """Whether a note is a sentence about its values ("Kafka and Pub/Sub are experimental"), not a
    bare list of package names ("django_dramatiq, Flask-Dramatiq"): only a sentence is carried."""
    return bool(note) and not re.fullmatch(r"[\w./-]+(\s*,\s*[\w./-]+)*", note.strip())


def _labels(catalog: Catalog | None, fact: Fact, values: Iterable[str] | None = None) -> list[str]:
    """How ``values`` (default: all of the fact's) read: labels, or project names for works_with."""
    values = fact.values if values is None else values
    if fact.key == "works_with" and catalog is not None:
        return [(catalog.get(v).name if catalog.get(v) else v) for v in values]
    labels = dict(zip(fact.values, fact.value_labels(), strict=True))
    return [labels[v] for v in values]


def _list_phrase(key: str, kind: str | None, values: list[str], word: str = "or") -> str:
    template = KIND_LIST_PHRASES.get(kind or "", {}).get(key) or LIST_PHRASES[key]
    return template.format(values=join_or(values, word))


def _covered(value: str, label: str, note: str | None) -> bool:
    """Whether a note names the value: its label, its id, or the short form of a vendor's name
    ("PostgreSQL, SQS via third parties" names sqs, Amazon SQS; "Pub/Sub is experimental" names
    Google Cloud Pub/Sub)."""
    if not note:
        return False
    last = label.split()[-1]
    forms = {label, value} | ({last} if any(c.isupper() for c in last[1:]) else set())
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", note, re.IGNORECASE) for form in forms)


def _compare_lists(row: Row, kind: str | None, catalog: Catalog | None, sa: Side, sb: Side,
                   both: list[str]) -> None:
    fa, fb = row.facts
    assert fa is not None and fb is not None
    va = [v for v in fa.values if v not in TEST_ONLY]
    vb = [v for v in fb.values if v not in TEST_ONLY]
    for me, fm, mine, theirs, ft in ((sa, fa, va, vb, fb), (sb, fb, vb, va, fa)):
        values = [v for v in mine if v not in theirs]
        # a value the other side's note names (third-party support, recipes) sets nothing apart
        pairs = [(v, label) for v, label in zip(values, _labels(catalog, fm, values), strict=True)
                 if not _covered(v, label, ft.note)]
        if pairs:
            me.only[row.key] = [v for v, _ in pairs]
            labels = [label for _, label in pairs]
            me.listed.append(_list_phrase(row.key, kind, labels, "and"))
            choose = CHOOSE_LIST_PHRASES.get((kind or "", row.key))
            me.choose_listed.append(choose.format(values=join_or(labels)) if choose
                                    else f"you need {_list_phrase(row.key, kind, labels)}")
            # the side's own note where it is a sentence about these values ("Kafka and Pub/Sub are
            # experimental"), never a bare list of packages
            if _sentence(fm.note) and any(_covered(v, label, fm.note) for v, label in pairs):
                me.notes.append(str(fm.note))
    shared = [v for v in va if v in vb]
    if shared:
        both.append(_list_phrase(row.key, kind, _labels(catalog, fa, shared), "and"))


def compare(a: Entry, b: Entry, catalog: Catalog | None = None) -> Comparison:
    """The rows (the facts of both kinds, in schema order) and what tells ``a`` and ``b`` apart."""
    keys = list(dict.fromkeys(list(a.fact_keys()) + list(b.fact_keys())))
    kind = a.kind if a.kind == b.kind else None
    rows = [Row(k, fact_label(k, kind), (a.facts.get(k), b.facts.get(k))) for k in keys]
    sa, sb = Side(a), Side(b)
    both: list[str] = []
    neither: list[str] = []
    both_partly: list[str] = []
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
            _compare_lists(row, kind, catalog, sa, sb, both)
            continue
        phrase = YES_PHRASES[row.key]
        for me, mine, theirs in ((sa, fa, fb), (sb, fb, fa)):
            if STRENGTH[mine.answer] <= STRENGTH[theirs.answer]:
                continue
            if mine.answer == "yes":  # against a partial, the other's limit is in its own cell
                me.gains.append(phrase if theirs.answer == "no" else f"{phrase} in full")
            else:  # partial against no: a limit, a reason only for a side without any other
                limit = f"{phrase} in part"
                me.limits.append(f"{limit}: {mine.note}" if mine.note else limit)
        if fa.answer == fb.answer == "yes":
            both.append(phrase)
        elif fa.answer == fb.answer == "partial":
            both_partly.append(phrase)
        elif fa.answer == fb.answer == "no":
            neither.append(phrase)
    return Comparison(sa, sb, rows, both, neither, both_partly)


def comparisons(catalog: Catalog, pairs: Iterable[Sequence[str]]) -> tuple[list[Comparison], list[str]]:
    """The configured pairs (``CATALOG['compare_pairs']``) in order, each pair's projects in the
    order of their names ("arq vs Taskiq", "SAQ vs Taskiq"), and a problem line for each
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
        # one order for every title and address, whatever order the pair was configured in
        a, b = sorted((projects[one] for one in ids), key=lambda e: (e.name.casefold(), e.id))
        out.append(compare(a, b, catalog))
    return out, problems


def by_entry(found: Iterable[Comparison]) -> dict[str, list[tuple[Entry, Comparison]]]:
    """Entry id -> (the other project, the comparison) for every comparison the entry is in."""
    out: dict[str, list[tuple[Entry, Comparison]]] = {}
    for comparison in found:
        a, b = comparison.entries
        out.setdefault(a.id, []).append((b, comparison))
        out.setdefault(b.id, []).append((a, comparison))
    return out


# What agreement on a yes/no fact is worth: sharing a feature says more than sharing its absence,
# and a feature one has and the other lacks sets them apart.
AGREE = {("yes", "yes"): 1.0, ("partial", "partial"): 0.75, ("partial", "yes"): 0.5, ("no", "no"): 0.25,
         ("no", "partial"): -0.25, ("no", "yes"): -0.5}
# The list fact two projects of a kind must share a value of, weighted heavily: a queue's brokers
# (a Redis queue is no alternative to a PostgreSQL one), the queue a scheduler or monitoring tool
# serves (works_with: RQ's scheduler is none of Celery's). Workflow engines and in-process work
# have none.
ANCHOR = {"queue": "brokers", "scheduler": "works_with", "monitoring": "works_with"}
ANCHOR_WEIGHT = 3.0
# Yes/no facts that weigh this many times AGREE for a kind: a sync queue's reader is not served by
# an async-only one (TaskTiger is no streaQ), nor the other way round.
FACT_WEIGHT: dict[str, dict[str, float]] = {"queue": {"asyncio": 3.0}}
# List facts scored, like the anchor, as the share of this project's values the other serves, with
# this weight: a Django project's reader wants a queue with a Django integration.
SHARE_WEIGHT: dict[str, dict[str, float]] = {"queue": {"frameworks": 1.5}}
# What a maintenance-only candidate loses: a maintained one of equal likeness comes first.
MAINTENANCE_ONLY_COST = 1.0
# Facts both must answer alike where both answer, worth ANCHOR_WEIGHT when they do: an in-process
# scheduler is no alternative to beat, nor a DAG orchestrator to a durable-execution engine.
MUST_AGREE = {"scheduler": ("in_process",), "workflow": ("durable",)}
# Below this a project is not offered as like another: fewer suggestions, or none, not filler.
MIN_LIKENESS = 1.0
# Nor below this share of the closest one's likeness (counting those a page already pairs it with):
# once streaQ is offered for arq, a Redis queue without async def is filler.
CLOSE_SHARE = 0.5


def related(a: Entry, b: Entry) -> bool:
    """Whether one wraps, extends or serves the other (django-rq and RQ, periodiq and Dramatiq), or
    both build on the same project (django-tasks and django-tasks-db): companions, not alternatives."""
    if a.builds_on and a.builds_on in (b.id, b.builds_on):
        return True
    if b.builds_on == a.id:
        return True
    return a.id in _values(b, "works_with") or b.id in _values(a, "works_with")


def _values(entry: Entry, key: str) -> set[str]:
    fact = entry.facts.get(key)
    return {v for v in fact.values if v not in TEST_ONLY} if fact is not None else set()


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _share(mine: set[str], theirs: set[str]) -> float:
    """The share of ``mine`` that ``theirs`` serves: Celery's RabbitMQ and Redis are all of
    Taskiq's, however many more brokers Taskiq has."""
    return len(mine & theirs) / len(mine) if mine else 0.0


def likeness(a: Entry, b: Entry) -> float | None:
    """How far the sourced answers of ``b`` agree with ``a``'s, over the facts of ``a``'s kind; None
    where ``b`` is no alternative at all: another kind, a companion (``related``), no value in
    common of the kind's ANCHOR fact (unknown counts as none where ``a`` answers it), or a
    different answer to a MUST_AGREE fact. Then ANCHOR_WEIGHT times the share of ``a``'s anchor
    values ``b`` serves, AGREE for each yes/no fact both answer (times its FACT_WEIGHT; unknown adds
    nothing), the share of ``a``'s values ``b`` serves for a SHARE_WEIGHT list fact, the share in
    common of every other list fact both answer, less MAINTENANCE_ONLY_COST for a maintenance-only
    ``b``."""
    if a.kind != b.kind or a.id == b.id or related(a, b):
        return None
    score = 0.0
    anchor = ANCHOR.get(a.kind or "")
    if anchor:
        mine, theirs = _values(a, anchor), _values(b, anchor)
        if (mine or theirs) and not mine & theirs:
            return None
        score += ANCHOR_WEIGHT * _share(mine, theirs)
    must = MUST_AGREE.get(a.kind or "", ())
    for key in must:
        fa, fb = a.facts.get(key), b.facts.get(key)
        if fa is not None and fb is not None:
            if fa.answer != fb.answer:
                return None
            score += ANCHOR_WEIGHT
    weights = FACT_WEIGHT.get(a.kind or "", {})
    shares = SHARE_WEIGHT.get(a.kind or "", {})
    for key in a.fact_keys():
        fa, fb = a.facts.get(key), b.facts.get(key)
        if fa is None or fb is None or key == anchor or key in must:
            continue
        if key in shares:
            score += shares[key] * _share(_values(a, key), _values(b, key))
        elif key in LIST_FACTS:
            score += _overlap(_values(a, key), _values(b, key))
        else:
            score += weights.get(key, 1.0) * AGREE[tuple(sorted((fa.answer, fb.answer)))]  # type: ignore[index]
    if b.status == "maintenance-only":
        score -= MAINTENANCE_ONLY_COST
    return score


def most_alike(entry: Entry, pool: Iterable[Entry], n: int = 3, skip: Iterable[str] = ()) -> list[Entry]:
    """Up to ``n`` projects of ``pool`` most like ``entry`` (``likeness`` of at least MIN_LIKENESS and
    CLOSE_SHARE of the closest one's), ties in catalog order, so the list does not move with the
    figures. ``skip`` (those the page already pairs it with) count for the closest but are never
    offered; a project that builds on another candidate, or on a skipped one, is left to its
    base's page."""
    skip = set(skip)
    scored = [(score, other) for other in pool if (score := likeness(entry, other)) is not None]
    best = max((score for score, _ in scored), default=0.0)
    floor = max(MIN_LIKENESS, CLOSE_SHARE * best)
    scored = [(score, other) for score, other in scored if score >= floor and other.id not in skip]
    scored.sort(key=lambda pair: (-pair[0], pair[1].path.name, pair[1].line))
    ranked = [other for _, other in scored]
    bases = skip | {other.id for other in ranked}
    return [other for other in ranked if other.builds_on not in bases][:n]
