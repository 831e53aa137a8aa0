"""Serve the application with waitress on 0.0.0.0:$PORT (what `make run` starts)."""

from waitress import serve

from . import create_app
from .config import lan_address
from .security import server_options


def main() -> None:
    app = create_app()
    port = app.config["PORT"]
    print(f"\nHors-les-murs est prêt : http://localhost:{port}/", flush=True)
    lan = lan_address()
    if lan:
        print(f"Depuis une tablette ou un téléphone du même réseau : http://{lan}:{port}/", flush=True)
    print(f"Adresse imprimée sur les affiches (PUBLIC_URL) : {app.config['PUBLIC_URL']}/", flush=True)
    with app.app_context():
        from .demo import print_demo_notice_if_present

        print_demo_notice_if_present()
    if app.config["ROLE"] == "stand":
        from .sync import loop

        loop.start(app)  # pushes and pulls by itself once the stand is enrolled (flask stand enrol)
    print("Arrêt : Ctrl+C\n", flush=True)
    serve(app, host="0.0.0.0", port=port, threads=8, **server_options(app))


if __name__ == "__main__":
    main()
