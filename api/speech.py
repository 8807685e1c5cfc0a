"""Transcription in a process of its own for each API worker, at a lower CPU priority, started again if it dies.

Decoding a recording and the model's feature extraction hold the GIL inside C for long stretches, and on a
busy machine the thread holding it is also descheduled: run in a thread of the worker, they stalled its event
loop (/api/v1/health p99 over 100 ms while recordings were transcribed, bench/overload.py). A separate process
shares no GIL with the worker, and at nice 10 it yields the CPU to the workers answering other requests. One
process: the model uses both cores, so transcriptions were one at a time already.

A process that dies (killed, out of memory) breaks its pool for good: the recording it was reading is answered
503 ("send it again"), and the next one gets a new process instead of the same error until a restart.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from occurisk_assets.assistant import voice

NICENESS = 10
STOPPED = (
    "the speech process stopped while reading the recording; it has been started again: send it once more"
)


def _start(preload: bool) -> None:
    os.nice(NICENESS)
    if preload:
        voice.preload_model()


class SpeechProcess:
    """The worker's speech process (spawned: the worker's threads and connections stay out of it)."""

    def __init__(self, preload: bool):
        self.preload = preload
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=_start, initargs=(self.preload,)
        )

    async def run(self, call: Callable[[], Any]) -> Any:
        """call() in the speech process; if the process dies meanwhile, a new one is started and the call
        fails with a 503 AudioProblem (the recording may be what killed it: it is not sent again)."""
        pool = self.pool
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, call)
        except BrokenProcessPool as exc:
            if self.pool is pool:  # the first call to find it broken replaces it
                self.pool = self._new_pool()
                pool.shutdown(wait=False, cancel_futures=True)
            raise voice.AudioProblem(STOPPED, status=503) from exc

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


async def ready(speech: SpeechProcess) -> None:
    """Wait until the process has started (and loaded the model, when preloading)."""
    await speech.run(os.getpid)


async def transcribe(speech: SpeechProcess, filename: str, data: bytes, **limits) -> voice.Transcript:
    """voice.transcribe in the speech process; its AudioProblem is raised here."""
    return await speech.run(functools.partial(voice.transcribe, filename, data, **limits))
