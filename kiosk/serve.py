"""Serve the application (what `make run` starts): waitress on 0.0.0.0:$PORT, and on a stand
HTTPS on 0.0.0.0:$HTTPS_PORT with the stand's own certificate (kiosk/tls.py).

waitress speaks no TLS, so the HTTPS side is cheroot's WSGI server (pure Python, the
standard library's ssl), in a thread of the same process: one application, one SQLite
database, one sync loop. Plain HTTP stays for the tablet's own browser (localhost is a
secure page already) and for a tablet's first visit, to fetch the authority's certificate.
"""

from __future__ import annotations

import threading

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from waitress import serve

from . import create_app, tls
from .config import lan_address
from .security import server_options


def https_server(app, port: int, paths: tls.TlsFiles, *, host: str = "0.0.0.0") -> wsgi.Server:
    """A TLS server of ``app`` on ``port`` (prepare() binds it, serve() serves, stop() ends it)."""
    server = wsgi.Server((host, port), app, numthreads=8, server_name="hors-les-murs")
    server.max_request_body_size = app.config["MAX_CONTENT_LENGTH"] or 0  # refused before the app reads it
    server.ssl_adapter = BuiltinSSLAdapter(str(paths.cert), str(paths.key), certificate_chain=str(paths.ca_cert))
    return server


def start_https(app, lan: str | None) -> tuple[wsgi.Server, threading.Thread]:
    """Make the certificates if needed, bind the HTTPS port and serve it in a thread."""
    paths = tls.ensure_certificates(app.instance_path, tls.stand_hosts(lan))
    server = https_server(app, app.config["HTTPS_PORT"], paths)
    server.prepare()
    thread = threading.Thread(target=server.serve, name="https", daemon=True)
    thread.start()
    return server, thread


def main() -> None:
    app = create_app()
    port, https_port = app.config["PORT"], app.config["HTTPS_PORT"]
    lan = lan_address()
    print(f"\nHors-les-murs est prêt : http://localhost:{port}/", flush=True)
    stand = app.config["ROLE"] == "stand"
    if stand and https_port:
        start_https(app, lan)
        where = lan or "localhost"
        print(f"Tablettes et téléphones du stand (HTTPS, caméra) : https://{where}:{https_port}/", flush=True)
        print(f"  Première fois sur une tablette : http://{where}:{port}/installation "
              "(certificat du stand à installer une fois)", flush=True)
    elif lan:
        print(f"Depuis une tablette ou un téléphone du même réseau : http://{lan}:{port}/", flush=True)
    print(f"Adresse imprimée sur les affiches (PUBLIC_URL) : {app.config['PUBLIC_URL']}/", flush=True)
    with app.app_context():
        from .demo import print_demo_notice_if_present

        print_demo_notice_if_present()
    if stand:
        from .sync import loop

        loop.start(app)  # pushes and pulls by itself once the stand is enrolled (flask stand enrol)
        print(f"Inscrire ce stand sur le serveur central : http://localhost:{port}/installation/inscription",
              flush=True)
    print("Arrêt : Ctrl+C\n", flush=True)
    serve(app, host="0.0.0.0", port=port, threads=8, **server_options(app))


if __name__ == "__main__":
    main()
