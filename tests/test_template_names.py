"""Template names say what they are: `_name.html` is a fragment that a route sends alone to htmx."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def _python_sources() -> str:
    return "\n".join(path.read_text() for path in (ROOT / "kiosk").rglob("*.py"))


def test_every_underscored_template_is_a_fragment_some_route_renders_alone():
    sources = _python_sources()
    fragments = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("_*.html")]
    assert fragments
    not_rendered = [name for name in fragments if f'"{name}"' not in sources]
    assert not_rendered == [], "only included or imported: move them to includes/"


def test_macros_and_shared_pieces_are_never_underscored():
    imported = set()
    for path in TEMPLATES.rglob("*.html"):
        imported.update(re.findall(r'{%-?\s*(?:from|import)\s+"([^"]+)"', path.read_text()))
    assert imported and not [name for name in imported if Path(name).name.startswith("_")]
