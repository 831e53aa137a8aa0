"""Make the demo's recorded prompts with espeak-ng (run by hand; the .wav files are committed).

No Soninké voice exists in espeak-ng and no one of the neighbourhood spoke these: a machine
voice says the French prompt, as a stand-in that the demo marks "démonstration" until a
translator records the real one. Files are 11 kHz 8-bit mono WAV: a few kilobytes a second.

    .venv/bin/python kiosk/demo/prompts/make_prompts.py
"""

import io
import subprocess
import wave
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROMPTS = {
    "snk-welcome.wav": "Bienvenue. Choisissez votre langue.",
    "snk-start.wav": "Bonjour ! Avez-vous déjà une carte ?",
    "snk-first_time.wav": "Est-ce la première fois que vous venez à une action comme celle-ci ?",
    "snk-first_time-yes.wav": "Oui, c'est la première fois.",
    "snk-first_time-no.wav": "Non, je suis déjà venu.",
}


def shrink(data: bytes) -> bytes:
    """16-bit 22 kHz → 8-bit 11 kHz: every other frame, high byte, unsigned."""
    with wave.open(io.BytesIO(data)) as source:
        assert source.getsampwidth() == 2 and source.getnchannels() == 1
        frames = source.readframes(source.getnframes())
        rate = source.getframerate()
    samples = memoryview(frames).cast("h")[::2]
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(rate // 2)
        target.writeframes(bytes((s >> 8) + 128 for s in samples))
    return out.getvalue()


def main() -> None:
    for name, text in PROMPTS.items():
        spoken = subprocess.run(["espeak-ng", "-v", "fr", "-s", "140", "--stdout", text],
                                check=True, capture_output=True).stdout
        (HERE / name).write_bytes(shrink(spoken))
        print(name, (HERE / name).stat().st_size)


if __name__ == "__main__":
    main()
