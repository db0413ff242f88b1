"""What a status change means, said to a supporter of the place, in their language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from campaigns.models import Status

SENTENCES: dict[str, Promise] = {
    Status.PARTNERSHIP_DOCUMENTED: gettext_lazy("Records show that the police in %(place)s partner with Ring."),
    Status.PETITIONING: gettext_lazy("The petition for %(place)s is open: ask your neighbours to sign."),
    Status.ASK_DELIVERED: gettext_lazy("Our ask has been delivered to the council of %(place)s."),
    Status.ON_AGENDA: gettext_lazy("The council of %(place)s has put the police partnership on its agenda."),
    Status.COUNCIL_VOTED: gettext_lazy("The council of %(place)s has voted on the police partnership."),
    Status.PARTNERSHIP_ENDED: gettext_lazy("%(place)s has ended its police partnership."),
    Status.LOST: gettext_lazy("The council of %(place)s decided to keep the police partnership."),
}

HEADLINES: dict[str, Promise] = {
    Status.PARTNERSHIP_DOCUMENTED: gettext_lazy("police partnership documented"),
    Status.PETITIONING: gettext_lazy("the petition is open"),
    Status.ASK_DELIVERED: gettext_lazy("our ask reached the council"),
    Status.ON_AGENDA: gettext_lazy("on the council agenda"),
    Status.COUNCIL_VOTED: gettext_lazy("the council voted"),
    Status.PARTNERSHIP_ENDED: gettext_lazy("partnership ended"),
    Status.LOST: gettext_lazy("the council kept the partnership"),
}

# Back to the start is a correction in the tracker, not news for supporters.
NOT_NEWS = frozenset({Status.NOT_STARTED})


def sentence(status: str, place: str) -> str:
    said = SENTENCES.get(status)
    if said is None:
        return gettext("News from %(place)s.") % {"place": place}
    return str(said) % {"place": place}


def headline(status: str) -> str:
    said = HEADLINES.get(status)
    return str(said) if said is not None else gettext("news")
