"""Background Teams turns: bounded, failures contained, drained before stopping."""

from __future__ import annotations

import asyncio

import pytest

from bot.teams.turns import BackgroundTurns


async def test_at_most_the_bound_run_at_once_and_drain_waits_for_all() -> None:
    turns = BackgroundTurns(concurrency=3)
    running, most, finished = 0, 0, 0

    async def turn() -> None:
        nonlocal running, most, finished
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1
        finished += 1

    for number in range(10):
        turns.start(turn(), f"chat-{number}")
    await turns.drain(timeout=5)

    assert (most, finished) == (3, 10)


async def test_turns_of_one_conversation_run_in_order_others_alongside() -> None:
    turns = BackgroundTurns()
    log: list[str] = []

    async def turn(name: str, pause: float) -> None:
        log.append(f"{name} starts")
        await asyncio.sleep(pause)
        log.append(f"{name} ends")

    turns.start(turn("a1", 0.05), "chat-a")
    turns.start(turn("a2", 0.0), "chat-a")
    turns.start(turn("b1", 0.0), "chat-b")
    await turns.drain(timeout=5)

    assert log.index("a1 ends") < log.index("a2 starts")
    assert log.index("b1 ends") < log.index("a1 ends")


async def test_a_failing_turn_is_logged_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    turns = BackgroundTurns()
    done: list[int] = []

    async def boom() -> None:
        raise RuntimeError("connector factory exploded")

    async def fine() -> None:
        done.append(1)

    turns.start(boom())
    turns.start(fine())
    await turns.drain(timeout=5)

    assert done == [1]
    assert "a turn failed outside the bot" in caplog.text
    assert "connector factory exploded" in caplog.text


async def test_drain_gives_up_after_its_timeout() -> None:
    turns = BackgroundTurns()
    release = asyncio.Event()
    turns.start(release.wait())

    with pytest.raises(TimeoutError):
        await turns.drain(timeout=0.05)
    release.set()
    await turns.drain(timeout=5)
