"""Speech instead of typing: an uploaded recording → text, transcribed on this machine (nothing is sent
anywhere, nothing is stored)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile

from api import speech
from api.config import get_api_settings
from api.metrics import AUDIO_SECONDS
from api.schemas.voice import Transcription
from occurisk_assets.assistant.voice import AudioProblem

router = APIRouter(tags=["voice"])


@router.post("/transcribe", response_model=Transcription)
async def transcribe_audio(
    request: Request,
    audio: Annotated[UploadFile, File(description="a .wav, .webm, .ogg or .mp3 recording")],
    language: Annotated[
        Literal["en", "ko"] | None,
        Form(description="The language spoken: en or ko; omitted → detected by the model."),
    ] = None,
) -> dict:
    """The text of a recording in English or Korean (named, or detected when omitted). Too long or too
    large → 413 saying the limit."""
    settings = get_api_settings()
    data = await audio.read(settings.transcribe_max_bytes + 1)
    try:
        result = await speech.transcribe(
            request.app.state.speech,
            audio.filename or "",
            data,
            max_bytes=settings.transcribe_max_bytes,
            max_seconds=settings.transcribe_max_seconds,
            language=language,
        )
    except AudioProblem as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    AUDIO_SECONDS.inc(result.seconds)
    return {
        "text": result.text,
        "seconds": result.seconds,
        "language": result.language,
        "model": result.model,
    }
