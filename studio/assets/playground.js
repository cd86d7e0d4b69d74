// The Network page's playground, drawn in the browser (studio/playground.py sends its data;
// cost-curve.js, before this, draws its cost curve).
//
// The server trains and sends a run's frames: at 101 iterations the probability of class 1 on
// a 40 x 40 grid (bytes, deflated), the cost and the accuracies, and the cost curve. This
// animates them at the pace Speed chose, blending each frame into the next so that every
// screen refresh draws; lets the learner add and erase points (sent back after a pause, and
// the model retrains); and tells the server when the animation is stopped, stepped or
// resumed, so that the model the page reports is the one on screen.
//
// Streamlit calls the default export again with new data on every script run that changes
// it, on the same element: the view is kept per element, the animation goes on.

const SEEN = new Map();       // run id -> {position, playing}: a page switch remounts us
const VIEWS = new WeakMap();  // the component's element -> its View
const EDIT_DELAY_MS = 600;    // points are sent this long after the last click
const ERASE_PX = 12;          // the eraser's reach
const DRAG_PX = 6;            // a mouse moved this far while down erases instead of adding
const POINT_PX = 5;
const THRESHOLD = 127.5;      // P = 0.5 on the 0-255 scale
const UP = 4;                 // the map is coloured 4 times finer than the grid

const fill = (template, fields) =>
  template.replace(/\{(\w+)(?::[^}]*)?\}/g, (whole, name) => (name in fields ? fields[name] : whole));
const count = (value) => Math.round(value).toLocaleString('en-US');
const percent = (value) => `${Number(value.toFixed(2))} %`;

async function inflate(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// 256 colours of P(class 1): plotly's scale, at its opacity over white, as the chart had it.
function colourTable({scale, opacity}) {
  const table = new Uint8ClampedArray(256 * 3);
  for (let v = 0; v < 256; v++) {
    const p = v / 255;
    let i = 0;
    while (i < scale.length - 2 && scale[i + 1][0] < p) i++;
    const [p0, c0] = scale[i], [p1, c1] = scale[i + 1];
    const t = p1 > p0 ? Math.min(1, Math.max(0, (p - p0) / (p1 - p0))) : 0;
    for (let k = 0; k < 3; k++) {
      table[v * 3 + k] = opacity * (c0[k] + (c1[k] - c0[k]) * t) + (1 - opacity) * 255;
    }
  }
  return table;
}

class View {
  constructor(parent) {
    const $ = (selector) => parent.querySelector(selector);
    this.root = $('.lp-root');
    this.map = $('.lp-map');
    this.curve = $('.lp-curve');
    this.busy = $('.lp-busy');
    this.status = $('.lp-status');
    this.trainValue = $('.lp-train');
    this.testValue = $('.lp-test');
    this.testBox = $('.lp-test-metric');
    this.playButton = $('.lp-play');
    this.stepButton = $('.lp-step');
    this.hint = $('.lp-hint');
    this.legend = $('.lp-legend');
    this.cut = $('.lp-cut');
    this.tools = [...parent.querySelectorAll('.lp-tool')];
    this.clearButton = $('.lp-clear');
    this.off = document.createElement('canvas');
    this.tool = '1';
    this.points = [];
    this.run = null;
    this.position = 0;
    this.playing = false;
    this.sentSerial = 0;
    this.loading = 0;
    this.draws = 0;          // screen redraws, read by tests/browser/test_browser_playground.py
    this.root.lpView = this;
    this.tick = this.tick.bind(this);
    this.asking = new Asking(() => this.askForMore());   // asking.js
    this.map.addEventListener('pointerdown', (e) => this.down(e));
    this.map.addEventListener('pointermove', (e) => this.move(e));
    this.map.addEventListener('pointerup', (e) => this.up(e));
    this.map.addEventListener('pointercancel', () => { this.gesture = null; });
    for (const button of this.tools) button.addEventListener('click', () => this.choose(button.dataset.tool));
    this.clearButton.addEventListener('click', () => this.clear());
    this.playButton.addEventListener('click', () => this.playOrStop());
    this.stepButton.addEventListener('click', () => this.step());
    this.resizer = new ResizeObserver(() => this.resize());
    this.resizer.observe(this.map);
    this.resizer.observe(this.curve);
    this.choose('1');
  }

  // ------------------------------------------------------------------ data from Python

  update(data, setTrigger) {
    this.setTrigger = setTrigger;
    this.data = data;
    const w = data.words;
    if (this.words !== JSON.stringify(w)) {
      this.words = JSON.stringify(w);
      this.w = w;
      this.tools[0].querySelector('.lp-tool-label').textContent = w.add[1];
      this.tools[1].querySelector('.lp-tool-label').textContent = w.add[0];
      this.tools[2].querySelector('.lp-tool-label').textContent = w.erase;
      this.clearButton.textContent = w.clear;
      this.root.querySelector('.lp-tools').setAttribute('aria-label', w.toolsLabel);
      this.root.querySelector('.lp-train-label').textContent = w.trainAccuracy;
      this.root.querySelector('.lp-test-label').textContent = w.testAccuracy;
      this.stepButton.textContent = `${w.step} ▶`;
      this.stepButton.title = w.stepHelp;
      this.map.setAttribute('aria-label', w.mapLabel);
      this.curve.setAttribute('aria-label', w.curveLabel);
      this.hint.textContent = w.hint;
      this.root.querySelector('.lp-scale-label').textContent = w.scale;
    }
    const colours = JSON.stringify(data.colours);
    if (this.colours !== colours) {
      this.colours = colours;
      this.table = colourTable(data.colours);
      this.classColours = data.colours.classes;
      const stops = [];
      for (let v = 0; v < 256; v += 15) {
        const [r, g, b] = this.table.slice(v * 3, v * 3 + 3);
        stops.push(`rgb(${r}, ${g}, ${b}) ${(v / 255 * 100).toFixed(1)}%`);
      }
      this.root.querySelector('.lp-scale-bar').style.background = `linear-gradient(to right, ${stops.join(', ')})`;
      [this.tools[1], this.tools[0]].forEach((button, label) => {
        button.querySelector('.lp-dot').style.background = data.colours.classes[label];
      });
    }
    if (!this.editTimer && (data.editSerial ?? 0) >= this.sentSerial) {
      this.points = data.points.map(([x, y, label, test]) => ({x, y, label, test: !!test}));
      this.waitingForEdit = false;
    }
    if (!data.run) {
      this.loading++;
      this.run = null;
      this.playing = false;
    } else {
      this.load(data.run);
    }
    this.render();
  }

  async load(run) {
    const token = ++this.loading;
    const same = this.run && this.run.id === run.id;
    const maps = same && this.run.encoded === run.maps ? this.run.maps : await inflate(run.maps);
    if (token !== this.loading) return;   // newer data came meanwhile
    const fresh = !(this.run && this.run.id === run.id);
    const top = Math.max(...run.curve[1], 1e-9);
    this.run = {...run, maps, encoded: run.maps, top};
    if (fresh) {
      const seen = SEEN.get(run.id);
      if (seen) {
        ({position: this.position, playing: this.playing} = seen);
      } else if (run.status === 'stopped') {
        this.position = run.shown;
        this.playing = false;
      } else {
        this.position = 0;
        this.playing = true;
      }
    }
    // Later answers leave the position alone: this page's own Stop and Step set it, and an
    // answer to an earlier Step may arrive after the next one.
    this.askForMore();
    this.render();
  }

  askForMore() {
    const run = this.run;
    if (!run || run.complete || run.status !== 'running') return;
    // Once per answer that moved the run on (a big network may add no frame in one).
    this.asking.ask(this.setTrigger, `${run.id}:${run.shown}`,
                    {run: run.id, frames: run.iterations.length});
  }

  // ------------------------------------------------------------------------ the clock

  pace() {
    return this.data.pace || this.run.total / this.data.fullSeconds;
  }

  render() {
    if (!this.frameRequest) this.frameRequest = requestAnimationFrame(this.tick);
  }

  tick(now) {
    this.frameRequest = 0;
    const run = this.run;
    const seconds = this.last ? Math.min(0.1, (now - this.last) / 1000) : 0;
    this.last = now;
    let waiting = false;
    if (run && this.playing) {
      const received = run.iterations[run.iterations.length - 1];
      this.position = Math.min(this.position + this.pace() * seconds, received);
      if (run.complete && this.position >= run.end) {
        this.position = run.end;
        this.playing = false;
      } else if (this.position >= received) {
        waiting = true;   // the next frames are on their way
      }
      SEEN.set(run.id, {position: this.position, playing: this.playing});
    }
    this.draw(waiting);
    if (run && this.playing && !waiting) this.render();
    else this.last = 0;
  }

  frameAt(position) {
    const its = this.run.iterations;
    let low = 0, high = its.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (its[mid] <= position) low = mid; else high = mid - 1;
    }
    return low;
  }

  // ------------------------------------------------------------------------- drawing

  resize() {
    const ratio = window.devicePixelRatio || 1;
    for (const canvas of [this.map, this.curve]) {
      const width = Math.round(canvas.clientWidth * ratio);
      const height = Math.round(canvas.clientHeight * ratio);
      if (width && (canvas.width !== width || canvas.height !== height)) {
        canvas.width = width;
        canvas.height = height;
      }
    }
    this.render();
  }

  toCanvas(x, y) {
    const [x0, x1, y0, y1] = this.data.extent;
    return [(x - x0) / (x1 - x0) * this.map.width, (1 - (y - y0) / (y1 - y0)) * this.map.height];
  }

  draw(waiting) {
    if (!this.data || !this.map.width) return;
    this.draws++;
    const run = this.run;
    const ctx = this.map.getContext('2d');
    const W = this.map.width, H = this.map.height;
    const ratio = window.devicePixelRatio || 1;
    const blank = this.table ? this.table.slice(128 * 3, 129 * 3) : [255, 255, 255];
    ctx.fillStyle = `rgb(${blank[0]}, ${blank[1]}, ${blank[2]})`;
    ctx.fillRect(0, 0, W, H);
    let frame = -1;
    if (run) {
      frame = this.frameAt(this.position);
      const n = run.grid, size = n * n;
      const next = Math.min(frame + 1, run.iterations.length - 1);
      const span = run.iterations[next] - run.iterations[frame];
      const w = span > 0 ? Math.min(1, (this.position - run.iterations[frame]) / span) : 0;
      const field = this.field && this.field.length === size ? this.field : (this.field = new Float32Array(size));
      const a = frame * size, b = next * size;
      for (let k = 0; k < size; k++) field[k] = run.maps[a + k] * (1 - w) + run.maps[b + k] * w;
      // P blended bilinearly UP times finer before it is coloured: the white of P = 0.5
      // then runs along the boundary instead of sitting in beads on the grid's points.
      const m = (n - 1) * UP + 1;
      if (this.off.width !== m) {
        this.off.width = m;
        this.off.height = m;
        this.image = this.off.getContext('2d').createImageData(m, m);
      }
      const octx = this.off.getContext('2d'), image = this.image;
      for (let q = 0; q < m; q++) {           // q: image rows from the top, the highest y
        const gy = (m - 1 - q) / UP, j = Math.min(n - 2, Math.floor(gy)), fy = gy - j;
        for (let p = 0; p < m; p++) {
          const gx = p / UP, i = Math.min(n - 2, Math.floor(gx)), fx = gx - i;
          const k = j * n + i;
          const value = (field[k] * (1 - fx) + field[k + 1] * fx) * (1 - fy) +
                        (field[k + n] * (1 - fx) + field[k + n + 1] * fx) * fy;
          const colour = Math.round(value) * 3, at = (q * m + p) * 4;
          image.data[at] = this.table[colour];
          image.data[at + 1] = this.table[colour + 1];
          image.data[at + 2] = this.table[colour + 2];
          image.data[at + 3] = 255;
        }
      }
      octx.putImageData(image, 0, 0);
      ctx.save();
      ctx.globalAlpha = this.waitingForEdit ? 0.35 : 1;
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      // Pixel centres on the grid's points: the first and last columns straddle the edges.
      const cellW = W / (m - 1), cellH = H / (m - 1);
      ctx.drawImage(this.off, -cellW / 2, -cellH / 2, W + cellW, H + cellH);
      this.boundary(ctx, field, n, W, H, ratio);
      ctx.restore();
    }
    for (const point of this.points) {
      const [x, y] = this.toCanvas(point.x, point.y);
      ctx.beginPath();
      ctx.arc(x, y, POINT_PX * ratio, 0, 2 * Math.PI);
      const colour = this.classColours[point.label];
      if (point.test) {           // a test point: white, in a thick ring of its colour
        ctx.fillStyle = '#fff';
        ctx.fill();
        ctx.lineWidth = 3 * ratio;
        ctx.strokeStyle = colour;
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(x, y, (POINT_PX + 1.5) * ratio, 0, 2 * Math.PI);
        ctx.lineWidth = 0.8 * ratio;
        ctx.strokeStyle = '#222';
      } else {
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.lineWidth = 1.2 * ratio;
        ctx.strokeStyle = '#fff';
      }
      ctx.stroke();
    }
    this.words_(frame, waiting);
    this.drawCurve();
  }

  // The 0.5 line, by marching squares over the blended grid.
  boundary(ctx, field, n, W, H, ratio) {
    const X = (i) => i / (n - 1) * W, Y = (j) => H - j / (n - 1) * H;
    const cross = (v0, v1) => (THRESHOLD - v0) / (v1 - v0);
    ctx.beginPath();
    for (let j = 0; j < n - 1; j++) {
      for (let i = 0; i < n - 1; i++) {
        const a = field[j * n + i], b = field[j * n + i + 1];
        const c = field[(j + 1) * n + i + 1], d = field[(j + 1) * n + i];
        const ends = [];
        if ((a > THRESHOLD) !== (b > THRESHOLD)) ends.push([X(i + cross(a, b)), Y(j)]);
        if ((b > THRESHOLD) !== (c > THRESHOLD)) ends.push([X(i + 1), Y(j + cross(b, c))]);
        if ((d > THRESHOLD) !== (c > THRESHOLD)) ends.push([X(i + cross(d, c)), Y(j + 1)]);
        if ((a > THRESHOLD) !== (d > THRESHOLD)) ends.push([X(i), Y(j + cross(a, d))]);
        if (ends.length === 2) {
          ctx.moveTo(...ends[0]);
          ctx.lineTo(...ends[1]);
        } else if (ends.length === 4) {   // a saddle: the centre says which corners join
          const joined = ((a + b + c + d) / 4 > THRESHOLD) === (a > THRESHOLD);
          const pairs = joined ? [[0, 1], [2, 3]] : [[0, 3], [1, 2]];
          for (const [p, q] of pairs) { ctx.moveTo(...ends[p]); ctx.lineTo(...ends[q]); }
        }
      }
    }
    ctx.strokeStyle = '#222';
    ctx.lineWidth = 2 * ratio;
    ctx.stroke();
  }

  words_(frame, waiting) {
    const w = this.w, run = this.run;
    const key = `${run ? run.id : ''}:${frame}:${this.playing}:${waiting}:${this.waitingForEdit}:` +
      `${this.points.length}:${this.atEnd()}:${run ? run.status : ''}`;
    if (key === this.shownKey) return;
    this.shownKey = key;
    const hasTest = this.points.some((p) => p.test);
    this.legend.textContent = hasTest ? w.testLegend : '';
    this.busy.textContent = this.waitingForEdit ? w.retraining : waiting ? w.computing : '';
    if (!run) {
      this.trainValue.textContent = '—';
      this.testBox.hidden = !hasTest;
      this.testValue.textContent = '—';
      this.status.textContent = this.data.trainable ? w.untrained : w.needBoth;
      this.playButton.textContent = `▶ ${w.resume}`;
      this.playButton.disabled = true;
      this.stepButton.disabled = true;
      this.cut.textContent = '';
      return;
    }
    this.trainValue.textContent = percent(run.train[frame]);
    this.testBox.hidden = !run.test;
    this.testValue.textContent = run.test ? percent(run.test[frame]) : '—';
    this.status.textContent = fill(w.status, {
      network: run.network, iteration: count(run.iterations[frame]),
      total: count(run.total), cost: run.costs[frame].toFixed(4)});
    this.playButton.disabled = false;
    if (this.playing) {
      this.playButton.textContent = `❚❚ ${w.stop}`;
      this.playButton.title = w.stopHelp;
    } else if (this.atEnd()) {
      this.playButton.textContent = `↺ ${w.replay}`;
      this.playButton.title = '';
    } else {
      this.playButton.textContent = `▶ ${w.resume}`;
      this.playButton.title = '';
    }
    this.stepButton.disabled = this.playing || frame + 1 >= run.iterations.length;
    this.cut.textContent = run.cut && this.atEnd() ? run.cut : '';
  }

  drawCurve() {
    const run = this.run;
    if (!this.ink) this.ink = canvasStyle(this.root);
    drawCostCurve(this.curve, this.ink, {
      label: this.w.curveLabel, iterations: run && run.curve[0], costs: run && run.curve[1],
      end: run && run.end, top: run && run.top, position: this.position});
  }

  // ------------------------------------------------------------- Stop, Resume, Step

  atEnd() {
    const run = this.run;
    return !!run && run.complete && this.position >= run.end;
  }

  playOrStop() {
    const run = this.run;
    if (!run) return;
    if (this.playing) {
      this.playing = false;
      const frame = this.frameAt(this.position);
      this.position = run.iterations[frame];
      this.setTrigger('transport', {run: run.id, action: 'stop', iteration: run.iterations[frame]});
    } else if (this.atEnd()) {
      this.position = 0;          // a replay: the server's model stays the run's last
      this.playing = true;
    } else {
      this.playing = true;
      this.setTrigger('transport', {run: run.id, action: 'resume'});
    }
    SEEN.set(run.id, {position: this.position, playing: this.playing});
    this.render();
  }

  step() {
    const run = this.run;
    if (!run || this.playing) return;
    const frame = this.frameAt(this.position) + 1;
    if (frame >= run.iterations.length) return;
    this.position = run.iterations[frame];
    SEEN.set(run.id, {position: this.position, playing: false});
    this.setTrigger('transport', {run: run.id, action: 'step', iteration: this.position});
    this.render();
  }

  // ------------------------------------------------------------- the learner's points

  choose(tool) {
    this.tool = tool;
    this.root.dataset.tool = tool;
    for (const button of this.tools) button.setAttribute('aria-pressed', String(button.dataset.tool === tool));
  }

  where(event) {
    const box = this.map.getBoundingClientRect();
    const fx = (event.clientX - box.left - this.map.clientLeft) / this.map.clientWidth;
    const fy = (event.clientY - box.top - this.map.clientTop) / this.map.clientHeight;
    const [x0, x1, y0, y1] = this.data.extent;
    return {x: x0 + fx * (x1 - x0), y: y1 - fy * (y1 - y0), px: fx * this.map.width, py: fy * this.map.height};
  }

  down(event) {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    const at = this.where(event);
    const erase = this.tool === 'erase' || event.shiftKey;
    this.gesture = {x: event.clientX, y: event.clientY, erase, dragged: false};
    if (erase || event.pointerType === 'mouse') this.map.setPointerCapture(event.pointerId);
    if (erase) this.eraseNear(at);
  }

  move(event) {
    const gesture = this.gesture;
    if (!gesture) return;
    if (!gesture.erase && event.pointerType === 'mouse' &&
        Math.hypot(event.clientX - gesture.x, event.clientY - gesture.y) > DRAG_PX) gesture.dragged = true;
    if (gesture.erase || gesture.dragged) this.eraseNear(this.where(event));
  }

  up(event) {
    const gesture = this.gesture;
    this.gesture = null;
    if (!gesture || gesture.erase || gesture.dragged) return;
    if (this.points.length >= this.data.maxPoints) {
      this.hint.textContent = this.w.full;
      return;
    }
    const at = this.where(event);
    this.points.push({x: at.x, y: at.y, label: Number(this.tool), test: false});
    this.edited();
  }

  eraseNear(at) {
    const ratio = window.devicePixelRatio || 1, reach = ERASE_PX * ratio;
    const kept = this.points.filter((point) => {
      const [x, y] = this.toCanvas(point.x, point.y);
      return Math.hypot(x - at.px, y - at.py) > reach;
    });
    if (kept.length !== this.points.length) {
      this.points = kept;
      this.edited();
    }
  }

  clear() {
    this.points = [];
    this.edited(0);
  }

  edited(delay = EDIT_DELAY_MS) {
    this.waitingForEdit = true;
    this.hint.textContent = this.w.hint;
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => {
      this.editTimer = null;
      this.sentSerial = Date.now();
      this.setTrigger('edit', {serial: this.sentSerial,
                               points: this.points.map((p) => [p.x, p.y, p.label])});
    }, delay);
    this.render();
  }

  destroy() {
    cancelAnimationFrame(this.frameRequest);
    this.asking.stop();
    this.frameRequest = 0;
    this.resizer.disconnect();
    clearTimeout(this.editTimer);
    VIEWS.delete(this.parent);
  }
}

export default function playground({data, parentElement, setTriggerValue}) {
  let view = VIEWS.get(parentElement);
  if (!view) {
    view = new View(parentElement);
    view.parent = parentElement;
    VIEWS.set(parentElement, view);
  }
  view.update(data, setTriggerValue);
  return () => view.destroy();
}
