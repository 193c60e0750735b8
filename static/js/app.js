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

// Keyboard of the entry grids (budgets, opening balances), as in Yonyou/Kingdee grids: Enter moves to the next
// cell, Shift+Enter back, Ctrl+S saves; Enter after the last cell goes to the save button, never submits.
window.gridKeys = function (form, cells, saveId) {
  form.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "s") {
      ev.preventDefault();
      form.requestSubmit();
      return;
    }
    const target = ev.target;
    if (ev.key !== "Enter" || !(target instanceof HTMLInputElement)) return;
    ev.preventDefault();
    const list = cells();
    // a cell outside the list (a budget's note) moves on from its row's cell in the list
    const row = target.closest("tr");
    const at = list.indexOf(target) >= 0 ? list.indexOf(target) : list.findIndex((c) => c.closest("tr") === row);
    const next = list[at + (ev.shiftKey ? -1 : 1)];
    if (next) {
      next.focus();
      next.select();
    } else if (!ev.shiftKey) {
      const save = document.getElementById(saveId);
      if (save) save.focus();
    }
  });
};
