"""Serve the application with waitress on 0.0.0.0:$PORT (what `make run` starts)."""

import socket

from waitress import serve

from . import create_app


def lan_address() -> str | None:
    """Return the address tablets on the stand's Wi-Fi should use, if there is one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # UDP connect sends nothing; it only picks a route
            return s.getsockname()[0]
    except OSError:
        return None


def main() -> None:
    app = create_app()
    port = app.config["PORT"]
    print(f"\nHors-les-murs est prêt : http://localhost:{port}/", flush=True)
    lan = lan_address()
    if lan and not lan.startswith("127."):
        print(f"Depuis une tablette du même réseau : http://{lan}:{port}/", flush=True)
    with app.app_context():
        from .demo import print_demo_notice_if_present

        print_demo_notice_if_present()
    print("Arrêt : Ctrl+C\n", flush=True)
    serve(app, host="0.0.0.0", port=port, threads=8)


if __name__ == "__main__":
    main()
