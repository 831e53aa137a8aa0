"""The demo's recorded prompts: made with espeak-ng (bench/demo_prompts.sh), committed, marked demo.

No person of the neighbourhood spoke them: the coverage report counts them apart, and a
translator's recording replaces one as soon as it is made.
"""

from __future__ import annotations

from pathlib import Path

from .models import PromptRecording
from .services import recording_row, save_recording

FILES = Path(__file__).resolve().parent.parent / "demo" / "prompts"
# file name → (language, prompt key)
DEMO_RECORDINGS = {
    "snk-welcome.wav": ("snk", "s:welcome"),
    "snk-start.wav": ("snk", "s:start"),
    "snk-first_time.wav": ("snk", "q:first_time"),
    "snk-first_time-yes.wav": ("snk", "a:first_time:yes"),
    "snk-first_time-no.wav": ("snk", "a:first_time:no"),
}


def seed_demo_recordings() -> int:
    """Load the demo recordings that no one replaced yet; return how many were loaded."""
    count = 0
    for name, (code, key) in DEMO_RECORDINGS.items():
        path = FILES / name
        existing: PromptRecording | None = recording_row(code, key)
        if not path.is_file() or (existing is not None and not existing.demo):
            continue
        save_recording(code, key, path.read_bytes(), None, None, demo=True)
        count += 1
    return count
