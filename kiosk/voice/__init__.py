"""The residents' voice: topics, feedback on the action, contributions and their follow-up.

Staff pages live on this blueprint (/voice/..., /events/<code>/voice...), the public
neighbourhood pages too (/quartiers/...); the resident's screens after a check-in are
served by the kiosk's blueprint (see resident.py).
"""

import uuid

from flask import Blueprint, Flask

bp = Blueprint("voice", __name__)

from ..qr import qr_svg  # noqa: E402
from . import models, public, resident, staff, ui  # noqa: E402,F401  (models: the tables, for Alembic)
from .faces import FACE_LABELS, face  # noqa: E402
from .models import RATINGS  # noqa: E402
from .topics import topic_label  # noqa: E402


def init_app(app: Flask) -> None:
    """Register this area's commands, template helpers and signal listeners."""
    from . import cli, listeners  # noqa: F401  (listeners connect on import)
    from .prompts import feedback_audio

    app.cli.add_command(cli.voice_group)
    app.add_template_global(face, "voice_face")
    app.add_template_global(lambda rating: str(FACE_LABELS.get(rating, "")), "voice_face_label")
    app.add_template_global(RATINGS, "voice_ratings")
    app.add_template_global(feedback_audio, "voice_feedback_audio")
    app.add_template_global(public.latest_answers, "voice_latest_answers")
    app.add_template_global(topic_label, "voice_topic_label")
    app.add_template_global(lambda url: qr_svg(url, label=url, css_class="qr"), "voice_qr")
    app.add_template_global(lambda: str(uuid.uuid4()), "voice_new_sid")
    for name, labels in (("flag", ui.FLAG_LABELS), ("channel", ui.CHANNEL_LABELS), ("action", ui.ACTION_LABELS),
                         ("status", ui.STATUS_LABELS), ("public_status", ui.PUBLIC_STATUS_LABELS)):
        app.add_template_global(lambda key, labels=labels: str(labels.get(key, key)), f"voice_{name}_label")
