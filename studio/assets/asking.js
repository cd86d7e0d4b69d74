// Asking the server for more of a run, shared by the live components (live.js: Train and
// Network; playground.js), prepended to each one's code with cost-curve.js
// (studio/sections/live_panel.py).
//
// A component asks once per answer (``key`` names what it has: a run and how far it got).
// Streamlit may lose the rerun a request starts (four pages of a class training at once
// lost some), and then no answer comes to ask again on: after ASK_AGAIN_MS without one,
// ``again()`` runs, and the component asks anew.

const ASK_AGAIN_MS = 3000;   // an answer this late was lost

class Asking {
  constructor(again) {
    this.again = again;
    this.asked = null;
    this.timer = 0;
  }

  // Send ``payload`` as the component's "more" trigger, unless ``key`` was asked already.
  ask(setTrigger, key, payload) {
    if (this.asked === key) return;
    this.asked = key;
    setTrigger('more', {...payload, at: Date.now()});
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.asked === key) { this.asked = null; this.again(); }
    }, ASK_AGAIN_MS);
  }

  forget() {
    this.asked = null;
  }

  stop() {
    clearTimeout(this.timer);
  }
}
