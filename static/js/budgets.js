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
  // Each row's ancestors: the rows above it of a lower level, in the chart's order.
  const ancestors = new Map();
  const branch = [];
  rows.forEach((tr) => {
    while (branch.length && Number(branch[branch.length - 1].dataset.level) >= Number(tr.dataset.level)) branch.pop();
    ancestors.set(tr, branch.slice());
    branch.push(tr);
  });
  const value = (tr) => {
    const input = tr.querySelector("input.budget-cell");
    return input ? toFen(input.value) : 0;
  };

  function totals() {
    // A parent's budget is the sum of its children's, so a parent typed beside a budgeted child is not counted
    // again (the save refuses the pair): the totals add the lowest budgeted rows, and the parent is marked.
    const sums = { income: 0, expense: 0 };
    const covered = new Set();
    rows.forEach((tr) => { if (value(tr)) ancestors.get(tr).forEach((up) => covered.add(up)); });
    const nested = [];
    rows.forEach((tr) => {
      const input = tr.querySelector("input.budget-cell");
      if (!input) return;
      const both = covered.has(tr) && value(tr) !== 0;
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
