"""Activities of structures and orientations: a resident met on a stand pointed to a structure.

Two blueprints: the staff's (activities, the live view's two taps, printable slips) and the
resident's, nested in the kiosk's own blueprint so that its screens are kiosk screens (the
same lock, language, no-store and refusal screens) without the kiosk knowing about them.
"""

from flask import Blueprint

from ..checkin import bp as checkin_bp
from . import models  # noqa: F401  (tables of this area)

bp = Blueprint("orientation", __name__)
resident_bp = Blueprint("orient", __name__)

from . import resident, routes  # noqa: E402,F401

# Before the kiosk's blueprint is registered on an app: create_app imports every area first.
checkin_bp.register_blueprint(resident_bp)
