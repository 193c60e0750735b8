// Site-wide behaviour without inline scripts (the CSP forbids them).
document.addEventListener("click", (ev) => {
  const btn = ev.target.closest("[data-confirm]");
  if (btn && !window.confirm(btn.dataset.confirm)) {
    ev.preventDefault();
  }
});
document.addEventListener("click", (ev) => {
  const link = ev.target.closest("a.add-child[data-parent]");
  if (!link) return;
  const select = document.getElementById("parent_id");
  if (select) {
    select.value = link.dataset.parent;
    const suffix = document.getElementById("suffix");
    if (suffix) setTimeout(() => suffix.focus(), 50);
  }
});
