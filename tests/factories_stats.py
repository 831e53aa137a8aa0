"""Factories for the statistics tests: realistic activity from the demo generator."""

import random
from datetime import datetime

from kiosk.demo.generator import generate_activity
from kiosk.extensions import db

from . import factories


def gen_activity(*, checkins: int = 400, events: int = 12, seed: int = 7, neighbourhoods: int = 3):
    """Insert closed events of 2025 with their check-ins and tallies; return the places used."""
    places = [factories.gen_neighbourhood(name=f"Quartier {i}", code=f"QN037{i:04d}") for i in range(neighbourhoods)]
    structures = [factories.gen_structure(neighbourhood=n) for n in places]
    result = generate_activity(rng=random.Random(seed), start=datetime(2025, 1, 5), end=datetime(2025, 12, 20),
                               event_count=events, checkin_count=checkins, neighbourhoods=places,
                               structures=structures)
    db.session.commit()
    return {"neighbourhoods": places, "structures": structures, "result": result}
