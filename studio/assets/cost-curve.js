// The cost curve the live components draw (live.js: Train and Network; playground.js),
// prepended to each one's code where Python registers it (studio/sections/live_panel.py,
// studio/sections/playground.py): a canvas, redrawn at every screen refresh of a run.

// Draws on ``canvas`` the costs ``costs`` at ``iterations`` (ascending; a null cost is not
// drawn) up to ``position``, on an x axis from 0 to ``end`` and a y axis from 0 to ``top``,
// with ``label`` above it; ``style`` is {ink, font} (the text's colour and font). The line
// ends at ``position`` itself, between two costs sent, so that it grows smoothly.
function drawCostCurve(canvas, style, {label, iterations, costs, end, top, position}) {
  if (!canvas.width) return;
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height, ratio = window.devicePixelRatio || 1;
  ctx.clearRect(0, 0, W, H);
  ctx.font = style.font;
  ctx.fillStyle = style.ink;
  const left = 40 * ratio, right = W - 8 * ratio, top_ = 26 * ratio, bottom = H - 18 * ratio;
  ctx.globalAlpha = 0.35;
  ctx.fillRect(left, bottom, right - left, 1 * ratio);
  ctx.globalAlpha = 0.8;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(label, left, 0);
  if (!iterations) { ctx.globalAlpha = 1; return; }
  const x = (it) => left + (right - left) * it / Math.max(end, 1);
  const y = (cost) => bottom - (bottom - top_) * Math.min(cost, top) / top;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText(top.toFixed(2), left - 6 * ratio, top_);
  ctx.fillText('0', left - 6 * ratio, bottom);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText('0', left, bottom + 3 * ratio);
  ctx.textAlign = 'right';
  ctx.fillText(Math.round(end).toLocaleString('en-US'), right, bottom + 3 * ratio);
  ctx.globalAlpha = 1;
  ctx.beginPath();
  let last = null, k = 0;
  for (; k < iterations.length && iterations[k] <= position; k++) {
    if (costs[k] === null) { last = null; continue; }
    const point = [x(iterations[k]), y(costs[k])];
    if (last) ctx.lineTo(...point); else ctx.moveTo(...point);
    last = point;
  }
  if (last && k < iterations.length && costs[k] !== null && position > iterations[k - 1]) {
    const f = (position - iterations[k - 1]) / (iterations[k] - iterations[k - 1]);
    last = [x(position), y(costs[k - 1] + (costs[k] - costs[k - 1]) * f)];
    ctx.lineTo(...last);
  }
  ctx.strokeStyle = '#1f77b4';
  ctx.lineWidth = 2 * ratio;
  ctx.stroke();
  if (last) {
    ctx.beginPath();
    ctx.arc(last[0], last[1], 3.5 * ratio, 0, 2 * Math.PI);
    ctx.fillStyle = '#1f77b4';
    ctx.fill();
  }
}

// The text colour and font a canvas of ``root`` writes with, at ``scale`` of its font size.
function canvasStyle(root, scale = 0.75) {
  const style = getComputedStyle(root), ratio = window.devicePixelRatio || 1;
  return {ink: style.color, font: `${scale * parseFloat(style.fontSize) * ratio}px ${style.fontFamily}`};
}
