// Budget grid: Enter moves down, Shift+Enter up (as in Yonyou/Kingdee grids), Ctrl+S saves, totals follow typing.
(function () {
  "use strict";
  const form = document.getElementById("budget-form");
  if (!form) return;
  const cells = () => Array.from(form.querySelectorAll("input.budget-cell:not([disabled])"));
  const toFen = (text) => window.toFen(text, { negative: false }) || 0;  // app.js; a bad cell adds nothing
  const fmt = (fen) => Math.floor(fen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." +
    String(fen % 100).padStart(2, "0");

  function totals() {
    // Parents and their children are never both budgeted, so adding every row counts each figure once.
    const sums = { income: 0, expense: 0 };
    form.querySelectorAll("tr[data-category]").forEach((tr) => {
      const input = tr.querySelector("input.budget-cell");
      if (input && tr.dataset.category in sums) sums[tr.dataset.category] += toFen(input.value);
    });
    document.getElementById("total-income").textContent = fmt(sums.income);
    document.getElementById("total-expense").textContent = fmt(sums.expense);
  }

  window.gridKeys(form, cells, "save-budget");
  form.addEventListener("input", totals);
  totals();
  const first = cells()[0];
  if (first) first.focus();
})();
