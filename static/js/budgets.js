// Budget grid: Enter moves down, Shift+Enter up (as in Yonyou/Kingdee grids), Ctrl+S saves, totals follow typing.
(function () {
  "use strict";
  const form = document.getElementById("budget-form");
  if (!form) return;
  const cells = () => Array.from(form.querySelectorAll("input.budget-cell:not([disabled])"));
  const toFen = (text) => window.toFen(text, { negative: false }) || 0;  // app.js; a bad cell adds nothing
  const fmt = (fen) => Math.floor(fen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." +
    String(fen % 100).padStart(2, "0");

  const rows = Array.from(form.querySelectorAll("tr[data-category]"));
  const rowOf = new Map(rows.map((tr) => [tr.dataset.code, tr]));
  // Each row's ancestors on the grid: the chart's codes above it (data-ancestors, as the save checks them).
  const ancestors = new Map(rows.map((tr) => [tr, (tr.dataset.ancestors || "").split(" ")
    .filter((code) => rowOf.has(code)).map((code) => rowOf.get(code))]));
  const cell = (tr) => tr.querySelector("input.budget-cell");
  const value = (tr) => (cell(tr) ? toFen(cell(tr).value) : 0);
  // A cell with a figure, 0 included, is a budget (the save reads 0 as one); a blank or unreadable one is not.
  const budgeted = (tr) => Boolean(cell(tr) && cell(tr).value.trim() !== "" &&
                                   !Number.isNaN(window.toFen(cell(tr).value, { negative: false })));

  function totals() {
    // A parent's budget is the sum of its children's, so a parent typed beside a budgeted child is not counted
    // again (the save refuses the pair): the totals add the lowest budgeted rows, and the parent is marked.
    const sums = { income: 0, expense: 0 };
    const covered = new Set();
    rows.forEach((tr) => { if (budgeted(tr)) ancestors.get(tr).forEach((up) => covered.add(up)); });
    const nested = [];
    rows.forEach((tr) => {
      const input = tr.querySelector("input.budget-cell");
      if (!input) return;
      const both = covered.has(tr) && budgeted(tr);
      if (both) nested.push(tr.dataset.code);
      if (both || input.dataset.nested) input.classList.toggle("is-invalid", both);
      input.dataset.nested = both ? "1" : "";
      if (!covered.has(tr) && tr.dataset.category in sums) sums[tr.dataset.category] += value(tr);
    });
    document.getElementById("total-income").textContent = fmt(sums.income);
    document.getElementById("total-expense").textContent = fmt(sums.expense);
    document.getElementById("budget-nested").textContent = nested.length
      ? `科目 ${nested.join("、")} 的下级科目已填写预算：上级预算为下级之和，请清空其一（合计按下级计算）` : "";
  }

  window.gridKeys(form, cells, "save-budget");
  form.addEventListener("input", totals);
  totals();
  const first = cells()[0];
  if (first) first.focus();
})();
