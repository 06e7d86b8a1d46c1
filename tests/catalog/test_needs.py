"""linkcheck.catalog.needs: which maintained projects meet a reader's need, in which order, and
what else to weigh (maintenance-only projects that meet it too, scheduler add-ons), from a tiny
catalog whose facts the tests change."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck.catalog.needs import HOME, NEEDS, match
from linkcheck.catalog.schema import KINDS
from tests.catalog.test_ranking import SRC, catalog, figures, project


def facts(**values: object) -> str:
    lines = []
    for key, value in values.items():
        shown = f"[{', '.join(value)}]" if isinstance(value, tuple) else str(value).lower()
        note = ", note: with a limit" if value == "partial" else ""
        lines.append(f"    {key}: {{value: {shown}, source: '{SRC}'{note}}}\n")
    return "".join(lines)


KEPT = "  status: maintenance-only\n  status_source: https://github.com/example/kept/issues/1\n"
GONE = "  status: unmaintained\n  status_source: https://github.com/example/gone\n"


def django_catalog(tmp_path: Path, **changes: str):
    """Queues for "a nightly job in Django": full, partial, lacking scheduling (with an add-on),
    maintenance-only, unmaintained; a scheduler that works with the one lacking it."""
    entries = {
        "full": project("full", facts=facts(frameworks=("django",), scheduling=True, brokers=("redis",))),
        "partly": project("partly", facts=facts(frameworks=("django",), scheduling="partial")),
        "nocron": project("nocron", facts=facts(frameworks=("django",), scheduling=False)),
        "kept": project("kept", extra=KEPT, facts=facts(frameworks=("django",), scheduling=True)),
        "gone": project("gone", extra=GONE, facts=facts(frameworks=("django",), scheduling=True)),
        "flask": project("flask", facts=facts(frameworks=("flask",), scheduling=True)),
        "cron": project("cron", "scheduler", facts=facts(works_with=("nocron",), in_process=False)),
    }
    entries.update(changes)
    return catalog(tmp_path, *entries.values())


def ids(entries) -> list[str]:
    return [e.id for e in entries]


def test_a_need_lists_maintained_projects_full_answers_first(tmp_path):
    c = django_catalog(tmp_path)
    (found,) = match(c.section("projects"), ["django-periodic"])
    assert ids(found.entries) == ["full", "partly"]  # no figures: catalog order within each answer
    assert found.count == 2 and found.partly == {"partly"}
    assert ids(found.maintenance_only) == ["kept"]  # named as such, never ranked with the others
    assert [(q.id, ids(s)) for q, s in found.add_ons] == [("nocron", ["cron"])]
    # the facts that make a project fit, then what a reader weighs for it
    assert NEEDS["django-periodic"].facts == ("frameworks", "scheduling", "brokers")


def test_the_list_follows_the_facts_and_the_figures(tmp_path):
    # "nocron" gains periodic scheduling: it meets the need, and no add-on line is due any more
    gained = project("nocron", facts=facts(frameworks=("django",), scheduling=True))
    c = django_catalog(tmp_path, nocron=gained)
    (found,) = match(c.section("projects"), ["django-periodic"])
    assert ids(found.entries) == ["full", "nocron", "partly"] and found.add_ons == []
    # downloads order the full answers; a partial answer stays after them whatever its figures
    figures(c.get("nocron"), downloads=5_000)
    figures(c.get("full"), downloads=10)
    figures(c.get("partly"), downloads=10**9)
    (found,) = match(c.section("projects"), ["django-periodic"])
    assert ids(found.entries) == ["nocron", "full", "partly"]
    assert ids(match(c.section("projects"), ["django-periodic"], limit=1)[0].entries) == ["nocron"]


def test_a_need_nobody_meets_is_left_out(tmp_path):
    c = django_catalog(tmp_path)
    assert match(c.section("projects"), ["durable", "timer", "in-process"]) == []
    with pytest.raises(KeyError):
        match(c.section("projects"), ["no-such-need"])


def test_each_need_draws_on_its_own_kind(tmp_path):
    c = catalog(
        tmp_path,
        project("queue", facts=facts(scheduling=True, asyncio=True)),  # a queue answers none of these
        project("flow", "workflow", facts=facts(durable="partial", hosting=("managed",))),
        project("engine", "workflow", facts=facts(durable=True, hosting=("library",))),
        project("timer", "scheduler", facts=facts(in_process=True, cron=False)),
        project("worker", "scheduler", facts=facts(in_process=False, cron=True)),
        project("inline", "in-process", extra="  part_of: FastAPI\n", facts=facts(persistence=False)),
    )
    matches = match(c.section("projects"), ["durable", "timer", "in-process"])
    found = {m.need.key: ids(m.entries) for m in matches}
    assert found == {"durable": ["engine", "flow"], "timer": ["timer"], "in-process": ["inline"]}
    assert {NEEDS[k].kind for k in found} <= set(KINDS)


def test_the_home_page_needs_are_task_queues():
    assert all(NEEDS[k].kind == "queue" and NEEDS[k].query for k in HOME)
    assert len(set(NEEDS)) == len(NEEDS)
