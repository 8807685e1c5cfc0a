"""Transcription in a process of its own for each API worker, at a lower CPU priority.

Decoding a recording and the model's feature extraction hold the GIL inside C for long stretches, and on a
busy machine the thread holding it is also descheduled: run in a thread of the worker, they stalled its event
loop (/api/v1/health p99 over 100 ms while recordings were transcribed, bench/overload.py). A separate process
shares no GIL with the worker, and at nice 10 it yields the CPU to the workers answering other requests. One
process: the model uses both cores, so transcriptions were one at a time already.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from occurisk_assets.assistant import voice

NICENESS = 10


def _start(preload: bool) -> None:
    os.nice(NICENESS)
    if preload:
        voice.preload_model()


def start(preload: bool) -> ProcessPoolExecutor:
    """The worker's speech process (spawned: the worker's threads and connections stay out of it)."""
    return ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("spawn"), initializer=_start, initargs=(preload,)
    )


async def ready(speech: ProcessPoolExecutor) -> None:
    """Wait until the process has started (and loaded the model, when preloading)."""
    await asyncio.get_running_loop().run_in_executor(speech, os.getpid)


async def transcribe(speech: ProcessPoolExecutor, filename: str, data: bytes, **limits) -> voice.Transcript:
    """voice.transcribe in the speech process; its AudioProblem is raised here."""
    call = functools.partial(voice.transcribe, filename, data, **limits)
    return await asyncio.get_running_loop().run_in_executor(speech, call)
