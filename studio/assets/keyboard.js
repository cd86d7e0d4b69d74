(() => {
  const skipText = SKIP_TEXT;
  const doc = window.document;
  // The first one shown: Streamlit keeps a hidden copy of a button that has help.
  const mainButton = () => [...doc.querySelectorAll('.stMain button[kind="primary"]')]
    .find((b) => !b.disabled && b.offsetParent !== null);
  let link = doc.querySelector("a.studio-skip");
  if (!link) {
    link = doc.createElement("a");
    link.className = "studio-skip";
    link.href = "#";
    doc.body.prepend(link);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const target = mainButton();
      if (target) target.focus();
    });
  }
  // Named after the button when there is one: a rerun that runs this again while the page
  // is being redrawn, or a focus then, keeps the name the link already had.
  const label = () => {
    const b = mainButton(), name = b ? b.innerText.trim() : "";
    if (name || !link.textContent) link.textContent = skipText.replace("{button}", name);
  };
  label();
  link.onfocus = label;
  if (window.__studioFocusKeeper) return;
  window.__studioFocusKeeper = true;
  // `last`: the key of the widget the user was on; `when`: the user's last key press,
  // click or focus there. `standIn`: the button restore() chose while a nearer one was
  // still off: a rerun's changes can reach the page over several frames (Stop turns off
  // a frame before Resume turns on), and the focus then moves on to the nearer one.
  let last = null, when = 0, standIn = null, moving = false;
  // A slow server (a class on two cores) can take many seconds to answer Stop; a later
  // restore only ever moves a focus that was lost, never one the user placed.
  const KEEP_MS = 30000;
  const keyOf = (element) => {
    const box = element && element.closest && element.closest('[class*="st-key-"]');
    return box ? [...box.classList].find((c) => c.startsWith("st-key-")) : null;
  };
  doc.addEventListener("focusin", (event) => {
    if (event.target === link || moving) return;
    last = keyOf(event.target); when = Date.now(); standIn = null;
  });
  doc.addEventListener("keydown", () => { if (last) when = Date.now(); });
  doc.addEventListener("pointerdown", (event) => {
    last = keyOf(event.target); when = Date.now(); standIn = null;
  });
  const place = (button, stand) => {
    moving = true;
    try { button.focus({preventScroll: true}); } finally { moving = false; }
    standIn = stand ? button : null;
  };
  const restore = () => {
    // A button disabled under the focus may keep it until the browser's next update: it
    // counts as lost already, or the last change of the page would come too early.
    const active = doc.activeElement;
    const lost = active === doc.body || (active && active.disabled);
    if (!last || !(lost || (standIn && active === standIn)) || Date.now() - when > KEEP_MS)
      return;
    const box = doc.querySelector("." + CSS.escape(last));
    const usable = (b) => b && !b.disabled;
    const own = box && box.querySelector("button, input");
    if (usable(own)) { if (active !== own) place(own, false); return; }
    const row = box && box.closest('[data-testid="stHorizontalBlock"]');
    if (!row) return;
    // Nearest first: the buttons after it, then those before it, closest first.
    const buttons = [...row.querySelectorAll("button")];
    const at = own ? buttons.indexOf(own) : -1;
    const next = buttons.slice(at + 1).find(usable) || buttons.slice(0, Math.max(at, 0))
      .reverse().find(usable);
    if (next && next !== active) place(next, true);
  };
  // On a phone the sidebar covers the page: close it once a page was tapped in it.
  doc.addEventListener("click", (event) => {
    if (!event.target.closest('[data-testid="stSidebarNav"] a')) return;
    if (!window.matchMedia("(max-width: 768px)").matches) return;
    setTimeout(() => {
      const close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 100);
  });
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; restore(); });
  }).observe(doc.body, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ["disabled"]});
})();
