"""What a write announces, so the area that owns a derived rule applies it, in one place.

The writing service sends the signal at the write, inside its transaction; the owning area
listens (blinker, as Flask itself does). Today: the statistics caches (stats/summaries.py,
stats/conversion.py, stats/profiles.py, review/cache.py) drop the figures a change makes
stale, and the kiosk (checkin/snapshots.py) drops its short-lived copies of events and
neighbourhoods.
"""

from blinker import Namespace

_signals = Namespace()

# sender: the event's id. card_id: the card checked in, or None; returning: the card had
# been checked in before, so this may be a return for the event that first saw it;
# checkin_uuid: the check-in's UUID (a stand puts it in its outbox).
checkin_recorded = _signals.signal("checkin-recorded")
# sender: the event's id. card_id: the card of the voided check-in, or None; moved_events:
# the events where that card's first seen was moved to or from by the void; checkin_uuid.
checkin_voided = _signals.signal("checkin-voided")
# sender: the event's id; a tally was added or undone. tally_uuid: which one.
tally_changed = _signals.signal("tally-changed")
# sender: None. card_ids: a list or a select of the ids of cards about to be unlinked from
# their check-ins (sent before the unlink, while the check-ins still name them).
card_unlinked = _signals.signal("card-unlinked")
# sender: the event's id; its status or settings changed (created, edited, opened, closed).
event_changed = _signals.signal("event-changed")
# sender: the neighbourhood's id; added, renamed, (de)activated, or its QPV status changed.
neighbourhood_changed = _signals.signal("neighbourhood-changed")
# sender: the event's id. A check-in pushed by a stand was merged on the central server
# (possibly into a closed event): card_id, moved_events as for checkin_voided.
checkin_merged = _signals.signal("checkin-merged")
# sender: the structure's id; added, renamed or (de)activated.
structure_changed = _signals.signal("structure-changed")
# sender: the structure's id (None for a generated batch). at: the visit's time, or None for
# visits at any time (a batch of generated visits).
visit_recorded = _signals.signal("visit-recorded")
# sender: the account's id; created, changed (role, structure, password, PIN) or deactivated.
account_changed = _signals.signal("account-changed")
# sender: the kiosk language's code; an approved text or a recorded prompt of that language
# was added, changed, un-approved or deleted (the stands pull that language again).
language_changed = _signals.signal("language-changed")
