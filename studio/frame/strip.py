"""The strip above every page's title: what the session has to say (a restored save, a
failed one) and a run going on while its own page is not open.

On a phone the sidebar is closed, so a notice or a progress bar there was never seen; here
it is the first thing on whichever page is open, and it takes no room when there is
nothing to say.
"""
from ..sections import class_session, live_panel
from ..session import state


def render(page=None):
    """The notices, then each run its page does not draw (``page``: the open page's url
    path, see studio.sections.live_panel.away); in the main area, before the page."""
    state.show_flashes()
    class_session.render_strip(page)   # the class this browser is in, the teacher's lesson
    live_panel.away(page)
