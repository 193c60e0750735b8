// 期初余额 grid: Enter moves to the next cell, Shift+Enter back, Ctrl+S saves; parents, 期初余额 and the
// 试算平衡 follow typing. Amounts are read as the server reads them (full-width digits too); the server decides.
(function () {
  "use strict";
  const form = document.getElementById("ob-form");
  if (!form) return;
  const FIELDS = ["year_debit", "year_credit", "ytd_debit", "ytd_credit"];
  const table = document.getElementById("ob-grid");
  const start = document.getElementById("start_period");
  const cells = () => Array.from(form.querySelectorAll("input.ob-cell:not([disabled]), input.code-cell"));
  const toFen = (text) => window.toFen(text, { negative: false }) || 0;  // app.js; a bad cell adds nothing
  const fmt = (fen) => (fen < 0 ? "-" : "") + Math.floor(Math.abs(fen) / 100).toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + String(Math.abs(fen) % 100).padStart(2, "0");
  const blank = (fen) => (fen ? fmt(fen) : "");
  const rows = Array.from(table.querySelectorAll("tbody tr[data-leaf]"));
  const byCode = new Map(rows.filter((tr) => tr.dataset.code).map((tr) => [tr.dataset.code, tr]));

  function january() {
    return !start || /-01$/.test(start.value);
  }

  function showNet(tr, fen) {
    tr.querySelector(".ob-side").textContent = fen > 0 ? "借" : (fen < 0 ? "贷" : "平");
    tr.querySelector(".ob-net").textContent = blank(Math.abs(fen));
  }

  function recompute() {
    const jan = january();
    table.classList.toggle("ob-january", jan);
    const sums = new Map();  // parent code → {field: fen}
    const total = { year_debit: 0, year_credit: 0, ytd_debit: 0, ytd_credit: 0 };
    rows.filter((tr) => tr.dataset.leaf === "1").forEach((tr) => {
      const v = {};
      FIELDS.forEach((f) => {
        const input = tr.querySelector(`input[data-field="${f}"]`);
        v[f] = input ? toFen(input.value) : 0;
        total[f] += v[f];
      });
      showNet(tr, v.year_debit - v.year_credit + v.ytd_debit - v.ytd_credit);
      let parent = byCode.get(tr.dataset.code) ? tr.dataset.parent : "";
      while (parent) {
        const s = sums.get(parent) || { year_debit: 0, year_credit: 0, ytd_debit: 0, ytd_credit: 0 };
        FIELDS.forEach((f) => { s[f] += v[f]; });
        sums.set(parent, s);
        const up = byCode.get(parent);
        parent = up ? up.dataset.parent : "";
      }
    });
    rows.filter((tr) => tr.dataset.leaf === "0").forEach((tr) => {
      const s = sums.get(tr.dataset.code) || { year_debit: 0, year_credit: 0, ytd_debit: 0, ytd_credit: 0 };
      tr.querySelectorAll("td.sum").forEach((td) => { td.textContent = blank(s[td.dataset.field]); });
      showNet(tr, s.year_debit - s.year_credit + s.ytd_debit - s.ytd_credit);
    });
    FIELDS.forEach((f) => { document.getElementById("total-" + f).textContent = fmt(total[f]); });
    const problems = [];
    if (total.year_debit !== total.year_credit) {
      problems.push(`年初余额不平衡：借方合计 ${fmt(total.year_debit)}，贷方合计 ${fmt(total.year_credit)}，` +
        `差额 ${fmt(Math.abs(total.year_debit - total.year_credit))}`);
    }
    if (total.ytd_debit !== total.ytd_credit) {
      problems.push(`本年累计发生额不平衡：借方合计 ${fmt(total.ytd_debit)}，贷方合计 ${fmt(total.ytd_credit)}，` +
        `差额 ${fmt(Math.abs(total.ytd_debit - total.ytd_credit))}`);
    }
    const status = document.getElementById("ob-status");
    document.getElementById("ob-balance").textContent = problems.length ? problems.join("；") : "试算平衡";
    status.classList.toggle("alert-success", !problems.length);
    status.classList.toggle("alert-warning", problems.length > 0);
  }

  window.gridKeys(form, cells, "save-openings");
  form.addEventListener("input", recompute);
  recompute();
})();
