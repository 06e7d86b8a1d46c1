"""linkcheck.runs.watch: the watchdog's judgement of each chunk of a running run."""

from __future__ import annotations

from linkcheck.runs.watch import judge_chunks

STALL = 6.0


def _chunk(idx: int, *, sent_at: float | None = None, attempts: int = 0) -> dict:
    return {"idx": idx, "sent_at": sent_at, "attempts": attempts, "done_at": None, "seen_at": None}


def test_a_chunk_not_dispatched_yet_is_waiting_until_stall_after_since_the_run_started() -> None:
    # the plan is written, then its chunks are sent one by one: a look in between sees the
    # last ones with no dispatch yet
    chunks = [_chunk(0, sent_at=100.0, attempts=1), _chunk(1)]

    fresh = judge_chunks(chunks, {}, {0}, now=100.5, stall_after=STALL, started_at=100.0)
    assert [v.state for v in fresh] == ["queued", "waiting"]

    # nobody ever sent it (the dispatching worker died): stalled, silent since the run's start
    late = judge_chunks(chunks, {}, {0}, now=100.0 + STALL, stall_after=STALL, started_at=100.0)
    assert [v.state for v in late] == ["queued", "stalled"]
    assert late[1].stalled_since == 100.0


def test_the_runs_start_does_not_hide_a_dispatched_chunk_gone_silent() -> None:
    chunks = [_chunk(0, sent_at=110.0, attempts=1)]
    beats = {0: 112.0}
    views = judge_chunks(chunks, beats, set(), now=112.0 + STALL, stall_after=STALL, started_at=100.0)
    assert views[0].state == "stalled" and views[0].stalled_since == 112.0
    views = judge_chunks(chunks, beats, set(), now=112.0 + STALL - 1, stall_after=STALL, started_at=100.0)
    assert views[0].state == "running"
