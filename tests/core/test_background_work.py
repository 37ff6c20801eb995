"""Work after an acknowledgement: held, failures logged, counted on /metrics, drained."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY

from bot.background import BackgroundWork


def _gauge(platform: str) -> float | None:
    return REGISTRY.get_sample_value("jambot_background_work", {"platform": platform})


async def test_work_is_counted_until_it_ends_and_drain_waits_for_it() -> None:
    work = BackgroundWork("test-count")
    release = asyncio.Event()
    done: list[str] = []

    async def answer(name: str) -> None:
        await release.wait()
        done.append(name)

    work.start(answer("a"))
    work.start(answer("b"))
    assert (len(work), _gauge("test-count")) == (2, 2)  # counted before the caller acks

    release.set()
    await work.drain(timeout=5)

    assert sorted(done) == ["a", "b"]
    assert (len(work), _gauge("test-count")) == (0, 0)


async def test_a_failure_is_logged_and_counted_out(caplog: pytest.LogCaptureFixture) -> None:
    work = BackgroundWork("test-fail")

    async def boom() -> None:
        raise RuntimeError("the database went away")

    work.start(boom())
    await work.drain(timeout=5)

    assert "test-fail: the work after an acknowledgement failed" in caplog.text
    assert "the database went away" in caplog.text
    assert _gauge("test-fail") == 0


async def test_drain_waits_for_work_started_by_work() -> None:
    work = BackgroundWork("test-chain")
    done: list[str] = []

    async def second() -> None:
        await asyncio.sleep(0)
        done.append("second")

    async def first() -> None:
        work.start(second())
        done.append("first")

    work.start(first())
    await work.drain(timeout=5)

    assert done == ["first", "second"]
