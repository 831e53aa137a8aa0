import os
import subprocess
import sys
from pathlib import Path

from kiosk import create_app


def test_health_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_reports_a_broken_database(tmp_path):
    # A real database that cannot be opened: the directory does not exist.
    url = f"sqlite:///{tmp_path}/missing-dir/db.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t", "TESTING": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"] == "error"


def test_the_wsgi_module_imports_on_its_own(tmp_path):
    """`flask --app app` and WSGI servers import app.py first, before any test imports a part of the package."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "SECRET_KEY": "tests", "DATABASE_URL": f"sqlite:///{tmp_path / 'import.sqlite3'}"}
    result = subprocess.run([sys.executable, "-c", "import app; print(app.app.name)"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kiosk"
