// Streamlit writes a few words of its own in English whatever the page's language (the
// file uploader's "Drag and drop files here", "Upload", "50MB per file"; the camera's
// "Take Photo"): this puts the session's words in their place, and again whenever
// Streamlit redraws them. The table is {as Streamlit writes it: as the page says it}
// (studio.presenter.streamlit_words); a key holding "{size}" matches any size.
(() => {
  const words = WORDS_TABLE;
  const doc = window.document;
  const patterns = Object.entries(words).filter(([from]) => from.includes("{size}")).map(
    ([from, to]) => [new RegExp("^" + from.replace(/[.*+?^$()|[\]\\]/g, "\\$&")
      .replace("{size}", "(\\S+)") + "$"), to]);
  const say = (text) => {
    const core = text.trim();
    if (Object.prototype.hasOwnProperty.call(words, core)) return text.replace(core, words[core]);
    for (const [pattern, to] of patterns) {
      const match = core.match(pattern);
      if (match) return text.replace(core, to.replace("{size}", match[1]));
    }
    return null;
  };
  const original = (window.__studioOriginal = window.__studioOriginal || new WeakMap());
  const said = (window.__studioSaid = window.__studioSaid || new WeakMap());
  const scope = '[data-testid="stFileUploader"], [data-testid="stCameraInput"]';
  const apply = () => {
    for (const root of doc.querySelectorAll(scope)) {
      const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Streamlit may have redrawn the node since: what it holds now is the original.
        if (said.get(node) !== node.nodeValue) original.set(node, node.nodeValue);
        const text = say(original.get(node)) ?? original.get(node);
        if (node.nodeValue !== text) node.nodeValue = text;
        said.set(node, text);
      }
    }
  };
  window.__studioWords = apply;
  apply();
  if (window.__studioWordsObserver) return;
  let queued = false;
  window.__studioWordsObserver = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; window.__studioWords(); });
  });
  window.__studioWordsObserver.observe(doc.body, {childList: true, subtree: true,
                                                  characterData: true});
})();
