(() => {
  const button = document.getElementById("studio-copy");
  const label = button.textContent;
  button.addEventListener("click", async () => {
    const url = button.dataset.url;
    try { await navigator.clipboard.writeText(url); }
    catch (error) {
      const area = document.createElement("textarea");
      area.value = url; document.body.appendChild(area); area.select();
      document.execCommand("copy"); area.remove();
    }
    button.textContent = button.dataset.done;
    setTimeout(() => { button.textContent = label; }, 2000);
  });
})();
