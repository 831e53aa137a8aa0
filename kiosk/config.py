"""Configuration read from the environment, with safe defaults."""

import os
import secrets
import socket
from pathlib import Path

ROLES = ("stand", "central")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def lan_address() -> str | None:
    """Return this machine's address on its network (what other devices reach), if any."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # UDP connect sends nothing; it only picks a route
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def default_public_url(port: int) -> str:
    """The address `make run` prints for other devices: posters must send phones there."""
    return f"http://{lan_address() or 'localhost'}:{port}"


def _positive_int(name: str, default: int) -> int:
    # A kiosk delay typed wrong keeps its default rather than stopping the service.
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def _text(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def load_secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept on disk."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written with 0600 so only the service account can read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Route plain postgres:// URLs to psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def from_environment(instance_path: str) -> dict:
    """Build the configuration mapping for create_app()."""
    default_db = "sqlite:///" + str(Path(instance_path) / "hors-les-murs.sqlite3")
    port = _int("PORT", 5000)
    public_url = (os.environ.get("PUBLIC_URL", "").strip() or default_public_url(port)).rstrip("/")
    role = os.environ.get("HLM_ROLE", "").strip().lower() or "stand"
    if role not in ROLES:
        raise ValueError(f"HLM_ROLE must be one of {', '.join(ROLES)}, not {role!r}")
    # The central server runs several processes: its rate limits must be counted in Redis.
    default_limits_storage = "redis://127.0.0.1:6379/0" if role == "central" else "memory://"
    return {
        # "stand": this device's own server, SQLite, no network needed; "central": gathers the stands.
        "ROLE": role,
        # Stand: how often the sync runs while the central server answers (seconds).
        "SYNC_INTERVAL_SECONDS": _positive_int("SYNC_INTERVAL_SECONDS", 5),
        # Central: the largest batch a stand may push, in items (a larger one is refused, 413).
        "SYNC_BATCH_MAX_ITEMS": _positive_int("SYNC_BATCH_MAX_ITEMS", 500),
        # Central: a device clock further than this from ours is flagged on the devices page.
        "SYNC_CLOCK_TOLERANCE_SECONDS": _positive_int("SYNC_CLOCK_TOLERANCE_SECONDS", 120),
        # Central: enrolment attempts per address (a code is 12 hexadecimal characters, valid 24 h).
        "SYNC_ENROL_RATE_LIMIT": _text("SYNC_ENROL_RATE_LIMIT", "10 per minute"),
        "RATELIMIT_KEY_PREFIX": _text("RATELIMIT_KEY_PREFIX", "hlm"),
        # Empty unless set: create_app() generates the key on disk only if none was given.
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_db
        ),
        "PORT": port,
        # Stand: HTTPS on the stand's network (camera on the tablets), with its own authority
        # (kiosk/tls.py); 0 turns it off. The central server's HTTPS is its reverse proxy's.
        "HTTPS_PORT": _int("HTTPS_PORT", 5443),
        "SUPPRESSION_THRESHOLD": _int("SUPPRESSION_THRESHOLD", 11),
        "RETENTION_MONTHS": _int("RETENTION_MONTHS", 24),
        # Check-ins are taken from this long before an event starts to this long after it ends;
        # then the event closes by itself.
        "CHECKIN_MARGIN_MINUTES": _int("CHECKIN_MARGIN_MINUTES", 30),
        "PUBLIC_URL": public_url,
        "DATA_CONTROLLER_NAME": os.environ.get(
            "DATA_CONTROLLER_NAME", "Ville de Tours — service politique de la ville"
        ),
        "DATA_CONTROLLER_CONTACT": os.environ.get(
            "DATA_CONTROLLER_CONTACT", "dpo@ville-tours.fr"
        ),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Europe/Paris"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", default_limits_storage),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Served over https, the session cookie must never travel in clear.
        "SESSION_COOKIE_SECURE": public_url.startswith("https://"),
        # Forms and kiosk screens stay valid for a whole stand day, not forever.
        "WTF_CSRF_TIME_LIMIT": _int("CSRF_TIME_LIMIT_HOURS", 12) * 3600,
        # Pages go out compressed (a resident's phone pays for every byte on a poor network).
        # Static files are compressed once by kiosk.static_files; pages here, at a level that
        # costs well under a millisecond. No entity tag: the resident's pages are no-store.
        "COMPRESS_MIMETYPES": ["text/html", "application/json"],
        "COMPRESS_LEVEL": 3,
        "COMPRESS_BR_LEVEL": 3,
        "COMPRESS_EVALUATE_CONDITIONAL_REQUEST": False,
        # Forms are a few kilobytes; a larger body is refused (413) before it fills memory.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 1024 * 1024),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
        "PROXY_FIX_X_FOR": _int("PROXY_FIX_X_FOR", 0),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # The kiosk: an idle one goes back to the welcome screen after this many seconds.
        "KIOSK_IDLE_SECONDS": _positive_int("KIOSK_IDLE_SECONDS", 45),
        # The confirmation stays this long (longer when a new card is shown, to photograph it).
        "KIOSK_CONFIRM_SECONDS": _positive_int("KIOSK_CONFIRM_SECONDS", 8),
        "KIOSK_CARD_SECONDS": _positive_int("KIOSK_CARD_SECONDS", 60),
        "KIOSK_UNLOCK_RATE_LIMIT": _text("KIOSK_UNLOCK_RATE_LIMIT", "5 per minute"),
        # Wrong PINs a tablet accepts before only the password unlocks it.
        "KIOSK_PIN_ATTEMPTS": _positive_int("KIOSK_PIN_ATTEMPTS", 5),
        # Posts of one phone (its cookie) at one event's self check-in.
        "PHONE_RATE_LIMIT": _text("PHONE_RATE_LIMIT", "40 per 10 minutes"),
        # Phone check-ins from one address at one event: a stand's Wi-Fi or a carrier puts many
        # phones behind one address, so this is a ceiling against a script, not a per-person limit.
        "PHONE_ADDRESS_RATE_LIMIT": _text("PHONE_ADDRESS_RATE_LIMIT", "60 per 10 minutes"),
        # Residents' voice messages: kept until transcribed, and this many days at most.
        "VOICE_RETENTION_DAYS": _positive_int("VOICE_RETENTION_DAYS", 30),
        "VOICE_DIR": os.environ.get("VOICE_DIR", "").strip() or str(Path(instance_path) / "voice"),
        # The kiosk's recorded prompts (issue 15): public, named by their content's hash.
        "PROMPT_DIR": os.environ.get("PROMPT_DIR", "").strip() or str(Path(instance_path) / "prompts"),
        "PROMPT_MAX_BYTES": _positive_int("PROMPT_MAX_BYTES", 2 * 1024 * 1024),
        # 60 s of speech at 32 kbit/s is 240 kB; this leaves room and stays under MAX_CONTENT_LENGTH.
        "VOICE_MAX_BYTES": _positive_int("VOICE_MAX_BYTES", 800 * 1024),
    }
