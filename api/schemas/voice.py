"""Speech instead of typing: POST /transcribe."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Transcription(BaseModel):
    text: str
    seconds: float = Field(description="The recording's length.")
    language: str
    model: str = Field(description="The speech-to-text model that transcribed it (run on this machine).")
