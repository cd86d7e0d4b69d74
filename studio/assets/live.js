// The live-training panel, drawn in the browser (studio/sections/live_panel.py sends a run's
// costs; cost-curve.js, before this, draws the curve).
//
// The server has trained a run up to ``received``; this plays it at the pace Speed chose
// (iterations a second), so the progress line, the curve and the printout move at every
// screen refresh, and asks for the next chunk while a second of the run is still left to
// draw. Once it has drawn the run's last iteration it asks again: that request finishes the
// run on the server, which then shows the results. Stopped or at full speed it shows what
// the server has (the model the page reports).
//
// Streamlit calls the default export again with new data on every script run that changes
// it, on the same element: the view is kept per element, the animation goes on.

const LIVE_SEEN = new Map();    // run id -> position: a page's rerun may remount us
const LIVE_VIEWS = new WeakMap();
const LEAD_SECONDS = 1.0;       // ask for more while this much of the run is left to draw
const PAGE_CHECK_MS = 2000;     // then the page's own Stop must agree with the run shown

// The page's Stop (training.controls, drawn by the whole page's run, not this panel's).
const pageStop = () => [...document.querySelectorAll('[class*="st-key-"]')]
  .find((box) => [...box.classList].some((c) => c.startsWith('st-key-') && c.endsWith('_stop')))
  ?.querySelector('button');

class LiveView {
  constructor(parent) {
    const $ = (selector) => parent.querySelector(selector);
    this.root = $('.lv-root');
    this.status = $('.lv-status');
    this.fill = $('.lv-bar-fill');
    this.curve = $('.lv-curve');
    this.printout = $('.lv-printout');
    this.position = 0;
    this.changes = 0;   // frames whose drawing changed: tests/browser/test_browser_pages.py
    this.root.lvView = this;
    this.tick = this.tick.bind(this);
    this.asking = new Asking(() => this.render());   // asking.js
    this.resizer = new ResizeObserver(() => this.resize());
    this.resizer.observe(this.curve);
  }

  update(data, setTrigger) {
    this.setTrigger = setTrigger;
    if (!this.data || this.data.id !== data.id) {
      this.position = LIVE_SEEN.get(data.id) ?? 0;
      this.asking.forget();
    }
    this.data = data;
    if (data.status !== 'running' || data.pace === null) this.position = data.received;
    this.position = Math.min(this.position, data.received);
    const finite = data.curve[1].filter((cost) => cost !== null);
    this.top = Math.max(...finite, 1e-9);
    this.curve.style.height = `${data.height}px`;
    this.printout.hidden = !data.printout;
    this.curve.setAttribute('aria-label', data.words.curve);
    this.shown = null;
    this.render();
    clearTimeout(this.pageCheck);
    this.pageCheck = setTimeout(() => this.checkPage(), PAGE_CHECK_MS);
  }

  // A loaded server can lose the messages of the page's run that followed a press of Stop
  // (or Resume) while this panel's next run arrives: the panel then says "stopped" while
  // the row still offers Stop and not Resume, and stays so. Once per run and state, ask
  // for the whole page again (the "stale" trigger: live_panel.py reruns the page).
  checkPage() {
    const data = this.data, stop = pageStop();
    if (!data || !stop || (data.status === 'stopped') === stop.disabled) return;
    const mark = `${data.id}:${data.status}`;
    if (this.staleAsked === mark) return;
    this.staleAsked = mark;
    this.setTrigger('stale', {run: data.id, status: data.status, at: Date.now()});
  }

  render() {
    if (!this.frameRequest) this.frameRequest = requestAnimationFrame(this.tick);
  }

  tick(now) {
    this.frameRequest = 0;
    const data = this.data;
    const seconds = this.last ? Math.min(0.1, (now - this.last) / 1000) : 0;
    this.last = now;
    const playing = data.status === 'running' && data.pace !== null && this.position < data.received;
    if (playing) this.position = Math.min(this.position + data.pace * seconds, data.received);
    LIVE_SEEN.set(data.id, this.position);
    this.draw();
    if (data.status === 'running') this.askForMore();
    if (playing) this.render();
    else this.last = 0;
  }

  askForMore() {
    const data = this.data;
    const left = data.received - this.position;
    const complete = data.received >= data.total;
    if (complete ? left > 0 : data.pace !== null && left > data.pace * LEAD_SECONDS) return;
    this.asking.ask(this.setTrigger, `${data.id}:${data.received}`,
                    {run: data.id, received: data.received});
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(this.curve.clientWidth * ratio);
    const height = Math.round(this.curve.clientHeight * ratio);
    if (width && (this.curve.width !== width || this.curve.height !== height)) {
      this.curve.width = width;
      this.curve.height = height;
      this.shown = null;
    }
    if (this.data) this.render();
  }

  draw() {
    const data = this.data;
    const at = Math.floor(this.position);
    // Waiting for the server: a big network may train slower than the pace.
    const waiting = data.status === 'running' && at >= data.received && data.received < data.total;
    const shown = `${this.position}:${waiting}`;
    if (this.shown === shown) return;
    this.shown = shown;
    this.changes++;
    const [iterations, costs] = data.curve;
    if (!this.style) this.style = canvasStyle(this.root);
    drawCostCurve(this.curve, this.style, {label: data.words.curve, iterations, costs,
                                           end: data.total, top: this.top, position: this.position});
    // The cost at the iteration shown: the last one sent at or before it.
    let k = iterations.length - 1;
    while (k > 0 && iterations[k] > at) k--;
    const cost = costs.length && costs[k] !== null ? costs[k].toFixed(6) : '—';
    const count = (value) => Math.round(value).toLocaleString('en-US');
    this.status.textContent = data.title + data.words.status
      .replace('{iteration}', count(at)).replace('{total}', count(data.total))
      .replace('{cost}', cost) + (waiting ? ` · ${data.words.waiting}` : '');
    this.fill.style.width = `${(100 * at / Math.max(data.total, 1)).toFixed(2)}%`;
    if (data.printout) {
      const lines = data.printout.filter(([iteration]) => iteration < at);   // costs[i]: before step i
      const text = lines.slice(-data.lines).map(([, line]) => line).join('\n') || ' ';
      if (this.printout.textContent !== text) this.printout.textContent = text;
    }
  }

  destroy() {
    cancelAnimationFrame(this.frameRequest);
    clearTimeout(this.pageCheck);
    this.frameRequest = 0;
    this.asking.stop();
    this.resizer.disconnect();
    LIVE_VIEWS.delete(this.parent);
  }
}

export default function live({data, parentElement, setTriggerValue}) {
  let view = LIVE_VIEWS.get(parentElement);
  if (!view) {
    view = new LiveView(parentElement);
    view.parent = parentElement;
    LIVE_VIEWS.set(parentElement, view);
  }
  view.update(data, setTriggerValue);
  return () => view.destroy();
}
