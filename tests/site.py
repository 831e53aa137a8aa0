"""An application with no context held open between requests: each request gets its own, as in production.

Flask-Login caches the user in `g`, which lives in the application context: with one context
held open by the test, a request would see the user of the previous one. Logins, logouts and
ended sessions are tested here.
"""

from kiosk.extensions import db

from .conftest import clear_tables, make_app


class Site:
    def __init__(self, database_url: str, **config):
        self.app = make_app(database_url, **config)
        self.run(clear_tables)

    def run(self, work):
        """Run work() in its own application context, commit, and return its result."""
        with self.app.app_context():
            result = work()
            db.session.commit()
            return result

    def client(self):
        return self.app.test_client()

    def close(self):
        self.run(clear_tables)
        with self.app.app_context():
            db.engine.dispose()
