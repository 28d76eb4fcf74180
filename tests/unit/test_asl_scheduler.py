"""The scheduler moto's ASL interpreter runs on: waits park greenlets, not threads."""

from __future__ import annotations

import threading
from typing import Any

from rightsflow.local import asl_scheduler
from rightsflow.local.asl_scheduler import Event, Strand
from tests.support import wait_for


def test_many_strands_wait_on_events_without_a_thread_each() -> None:
    # GIVEN 300 strands, each waiting for its own event (as 300 executions wait for a code)
    asl_scheduler.scheduler()
    threads_before = threading.active_count()
    events = [Event() for _ in range(300)]
    finished: list[int] = []

    def wait(index: int) -> None:
        events[index].wait()
        finished.append(index)

    strands = [Strand(target=wait, args=(index,)) for index in range(300)]
    for strand in strands:
        strand.start()
    wait_for(lambda: all(strand.is_alive() for strand in strands), timeout=30)

    # THEN waiting costs no thread
    assert threading.active_count() <= threads_before + 1
    assert finished == []

    # WHEN another thread sets the events (as SendTaskSuccess does)
    def set_all() -> None:
        for event in events:
            event.set()

    setter = threading.Thread(target=set_all)
    setter.start()
    setter.join()

    # THEN every strand goes on, and a thread can join them
    for strand in strands:
        strand.join(timeout=30)
    assert sorted(finished) == list(range(300))
    assert not any(strand.is_alive() for strand in strands)


def test_a_wait_with_a_timeout_times_out_unless_set_first() -> None:
    # GIVEN two strands waiting 0.05 s on events, one of which is set before then
    outcomes: dict[str, bool] = {}
    never, soon = Event(), Event()

    def wait(name: str, event: Event) -> None:
        outcomes[name] = event.wait(timeout=0.05 if name == "never" else 30)

    Strand(target=wait, args=("never", never)).start()
    Strand(target=wait, args=("soon", soon)).start()
    soon.set()

    # THEN the one set is woken with True, the other times out with False
    wait_for(lambda: len(outcomes) == 2, timeout=30)
    assert outcomes == {"never": False, "soon": True}


def test_a_pulse_wakes_a_waiting_strand_as_threading_event_does() -> None:
    # GIVEN a strand waiting (the interpreter's Wait state waits on the execution's event)
    event = Event()
    outcome: list[bool] = []
    strand = Strand(target=lambda: outcome.append(event.wait(timeout=30)))
    strand.start()
    wait_for(lambda: event._waiters, timeout=30)  # it is parked on the event

    # WHEN the event is set and cleared at once (how StopExecution wakes it)
    event.set()
    event.clear()

    # THEN the waiter was woken all the same
    strand.join(timeout=30)
    assert outcome == [True]


def test_blocking_calls_from_strands_run_at_the_same_time_on_workers() -> None:
    # GIVEN as many strands as there are workers, whose blocking calls only return once all of
    # them run together (a barrier: run one after another on the scheduler thread, they would
    # never meet)
    scheduler = asl_scheduler.scheduler()
    workers = asl_scheduler.DEFAULT_WORKERS
    barrier = threading.Barrier(workers, timeout=30)
    results: list[Any] = []

    def call(index: int) -> None:
        results.append(scheduler.run_blocking(lambda: (barrier.wait(), index)[1]))

    strands = [Strand(target=call, args=(index,)) for index in range(workers)]
    for strand in strands:
        strand.start()
    for strand in strands:
        strand.join(timeout=60)

    # THEN each returned its own answer
    assert sorted(results) == list(range(workers))


def test_sleeping_strands_do_not_hold_up_each_other() -> None:
    # GIVEN a strand sleeping for a long time (a Retry interval) and one that does not
    order: list[str] = []

    def sleep_then_note() -> None:
        asl_scheduler.sleep(0.5)
        order.append("sleeper")

    sleeper = Strand(target=sleep_then_note)
    quick = Strand(target=lambda: order.append("quick"))

    # WHEN the sleeper starts first
    sleeper.start()
    quick.start()

    # THEN the other one runs meanwhile, and the sleeper wakes later
    sleeper.join(timeout=30)
    quick.join(timeout=30)
    assert order == ["quick", "sleeper"]
