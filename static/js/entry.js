// Voucher entry, keyboard first (the habits of Yonyou/Kingdee users). The server re-checks everything.
(function () {
  "use strict";
  const form = document.getElementById("voucher-form");
  if (!form) return;
  const tbody = form.querySelector("#lines tbody");
  const menu = document.getElementById("account-menu");
  let accounts = [];
  let menuInput = null;
  let menuIndex = 0;

  fetch(form.dataset.accounts, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((data) => {
      accounts = data;
      form.querySelectorAll("input.account").forEach(expandCode);
      if (menuInput && document.activeElement === menuInput) showMenu(menuInput);
    })
    .catch(() => { accounts = []; });

  // ---------- amounts ----------
  const toFen = window.toFen;  // app.js: full-width digits and commas read as the server reads them
  const fmt = (fen) => {
    const neg = fen < 0; fen = Math.abs(fen);
    const yuan = Math.floor(fen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (neg ? "-" : "") + yuan + "." + String(fen % 100).padStart(2, "0");
  };
  const plain = (fen) => (fen / 100).toFixed(2);
  const DIG = "零壹贰叁肆伍陆柒捌玖";
  const UNITS = ["", "拾", "佰", "仟"];
  const BIG = ["", "万", "亿", "万亿"];
  function four(n) {
    let out = "", zero = false;
    for (let p = 3; p >= 0; p--) {
      const d = Math.floor(n / 10 ** p) % 10;
      if (d === 0) { zero = out.length > 0; continue; }
      if (zero) { out += "零"; zero = false; }
      out += DIG[d] + UNITS[p];
    }
    return out;
  }
  function upper(fen) {  // mirrors threeassets.core.money.to_chinese_upper
    if (fen === 0) return "零元整";
    const neg = fen < 0; fen = Math.abs(fen);
    let yuan = Math.floor(fen / 100); const jiao = Math.floor(fen / 10) % 10, f = fen % 10;
    const groups = [];
    while (yuan) { groups.push(yuan % 10000); yuan = Math.floor(yuan / 10000); }
    let head = "", needZero = false;
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i];
      if (g === 0) { needZero = head.length > 0; continue; }
      if (head && (needZero || g < 1000)) head += "零";
      head += four(g) + BIG[i]; needZero = false;
    }
    let text = head ? head + "元" : "";
    if (!jiao && !f) return (neg ? "负" : "") + text + "整";
    if (jiao) text += DIG[jiao] + "角"; else if (head) text += "零";
    text += f ? DIG[f] + "分" : "整";
    return (neg ? "负" : "") + text;
  }

  // ---------- rows ----------
  const rows = () => Array.from(tbody.querySelectorAll("tr.line"));
  const cellsOf = (tr) => Array.from(tr.querySelectorAll("input.cell"));
  function renumber() {
    rows().forEach((tr, i) => {
      tr.querySelector(".line-no").textContent = i + 1;
      tr.querySelectorAll("input.cell").forEach((inp) => {
        inp.name = inp.name.replace(/^lines-\d+-/, `lines-${i}-`);
      });
    });
  }
  function addRow(after) {
    const tpl = rows()[0].cloneNode(true);
    tpl.querySelectorAll("input").forEach((i) => { i.value = ""; i.classList.remove("is-invalid"); i.title = ""; });
    if (after && after.nextSibling) tbody.insertBefore(tpl, after.nextSibling); else tbody.appendChild(tpl);
    renumber();
    return tpl;
  }
  function removeRow(tr) {
    if (rows().length <= 2) { cellsOf(tr).forEach((i) => { i.value = ""; }); totals(); return; }
    const next = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove(); renumber(); totals();
    if (next) cellsOf(next)[0].focus();
  }

  // ---------- totals ----------
  function totals() {
    let d = 0, c = 0, bad = false;
    rows().forEach((tr) => {
      const dv = toFen(tr.querySelector(".debit").value), cv = toFen(tr.querySelector(".credit").value);
      if (isNaN(dv) || isNaN(cv)) bad = true; else { d += dv; c += cv; }
    });
    document.getElementById("total-debit").textContent = fmt(d);
    document.getElementById("total-credit").textContent = fmt(c);
    document.getElementById("upper").textContent = d === c && d !== 0 ? upper(d) : "";
    const hint = document.getElementById("balance-hint");
    if (bad) { hint.textContent = "有金额格式不正确（最多两位小数）"; hint.className = "small bad"; }
    else if (d !== c) { hint.textContent = `借贷不平衡，差额 ${fmt(d - c)}（在金额格按 = 自动补平）`; hint.className = "small bad"; }
    else if (d === 0) { hint.textContent = ""; hint.className = "small"; }
    else { hint.textContent = "借贷平衡"; hint.className = "small good"; }
    return { d, c };
  }

  // ---------- account picker ----------
  const matches = (q) => window.accountMatches(accounts, q);  // app.js: the one ranking of every picker
  function showMenu(input) {
    const list = matches(input.value);
    menuInput = input; menuIndex = 0;
    window.fillAccountMenu(menu, list, pick, "没有匹配的末级科目");
    const r = input.getBoundingClientRect();
    const width = Math.min(Math.max(360, r.width), window.innerWidth - 16);  // a phone: within the screen
    menu.style.minWidth = `${width}px`;
    menu.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8)) + window.scrollX}px`;
    menu.style.top = `${r.bottom + window.scrollY}px`;
    menu.hidden = false;
  }
  function hideMenu() { menu.hidden = true; menuInput = null; }
  function moveMenu(step) {
    const items = menu.querySelectorAll("li[data-value]");
    if (!items.length) return;
    items[menuIndex].classList.remove("active");
    menuIndex = (menuIndex + step + items.length) % items.length;
    items[menuIndex].classList.add("active");
    items[menuIndex].scrollIntoView({ block: "nearest" });
  }
  function pick(value) {
    const input = menuInput;
    input.value = value; input.classList.remove("is-invalid");
    hideMenu();
    focusNext(input);
  }
  function exactAccount(text) {
    const code = text.trim().split(/\s/)[0];
    return accounts.find((a) => a.code === code);
  }
  // "10201" becomes "10201 银行存款—农商银行基本户" so the clerk sees what was picked.
  function expandCode(input) {
    const exact = exactAccount(input.value);
    if (exact && input.value.trim() === exact.code) input.value = `${exact.code} ${exact.name}`;
  }

  // ---------- navigation ----------
  function focusNext(input) {
    const tr = input.closest("tr");
    const cells = cellsOf(tr);
    let idx = cells.indexOf(input);
    if (input.classList.contains("debit") && toFen(input.value)) idx += 1;  // skip credit when debit given
    if (idx + 1 < cells.length) { cells[idx + 1].focus(); cells[idx + 1].select(); return; }
    let next = tr.nextElementSibling;
    const { d, c } = totals();
    // A balanced voucher with nothing typed below: go to 保存 instead of opening a line to fill.
    const save = document.getElementById("save-new");  // none when the voucher moved on meanwhile (not saved)
    if (save && d === c && d !== 0 && followingEmpty(tr)) { save.focus(); return; }
    if (!next) next = addRow(tr);
    enterSummary(cellsOf(next)[0]);
  }
  // Nothing typed but perhaps a summary (which Enter copies into every new line).
  const isBlank = (tr) => cellsOf(tr).every((i) => i.classList.contains("summary") || !i.value.trim());
  function followingEmpty(tr) {
    for (let n = tr.nextElementSibling; n; n = n.nextElementSibling) if (!isBlank(n)) return false;
    return true;
  }
  function enterSummary(inp) {
    const tr = inp.closest("tr"), prev = tr.previousElementSibling;
    if (!inp.value && prev) inp.value = prev.querySelector(".summary").value;
    inp.focus(); inp.select();
  }
  function balanceInto(input) {
    const tr = input.closest("tr");
    input.value = "";
    const { d, c } = totals();
    const diff = input.classList.contains("debit") ? c - d : d - c;
    if (diff > 0) input.value = plain(diff);
    else if (diff < 0) { tr.querySelector(input.classList.contains("debit") ? ".credit" : ".debit").value = fmt(-diff); }
    totals();
  }

  // Ctrl+S anywhere on the page saves the voucher (never the browser's "save page"; nothing when the page offers
  // no save because the voucher moved on meanwhile).
  document.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "s" || ev.key === "S")) {
      ev.preventDefault(); hideMenu();
      const save = document.getElementById("save-new");
      if (save) save.click();
    }
  });
  form.addEventListener("keydown", (ev) => {
    if (ev.isComposing || ev.keyCode === 229) return;  // Enter/space confirming an IME candidate (拼音输入法)
    if ((ev.ctrlKey || ev.metaKey) && (ev.key === "s" || ev.key === "S")) return;  // handled on the document
    if (ev.key === "Enter" && (ev.target.id === "voucher_date" || ev.target.id === "attachments")) {
      // Enter in the header moves on instead of submitting a half-typed voucher.
      ev.preventDefault();
      if (ev.target.id === "voucher_date") document.getElementById("attachments").select();
      else enterSummary(rows()[0].querySelector(".summary"));
      return;
    }
    const input = ev.target.closest("input.cell");
    if (!input) return;
    const tr = input.closest("tr");
    if (ev.ctrlKey && ev.key === "Insert") { ev.preventDefault(); enterSummary(cellsOf(addRow(tr))[0]); return; }
    if (ev.ctrlKey && ev.key === "Delete") { ev.preventDefault(); removeRow(tr); return; }
    if (input.classList.contains("account") && !menu.hidden) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); moveMenu(1); return; }
      if (ev.key === "ArrowUp") { ev.preventDefault(); moveMenu(-1); return; }
      if (ev.key === "Escape") { hideMenu(); return; }
      if (ev.key === "Enter" || ev.key === "Tab") {
        const active = menu.querySelector("li.active[data-value]");
        const exact = exactAccount(input.value);
        if (exact && input.value.trim() === exact.code) { ev.preventDefault(); menuInput = input; pick(`${exact.code} ${exact.name}`); return; }
        if (active) { ev.preventDefault(); pick(active.dataset.value); return; }
      }
    }
    if (input.classList.contains("account") && ev.key === "Enter" && accounts.length && input.value.trim()
        && !exactAccount(input.value)) {
      // Stay on a cell whose text names no leaf account rather than carry the mistake forward.
      ev.preventDefault();
      input.classList.add("is-invalid"); input.title = "没有这个末级科目：请输入编码、拼音首字母或名称后从列表中选择";
      return;
    }
    if (input.classList.contains("amount")) {
      if (ev.key === "=") { ev.preventDefault(); balanceInto(input); return; }
      if (ev.key === " ") {
        ev.preventDefault();
        const other = tr.querySelector(input.classList.contains("debit") ? ".credit" : ".debit");
        other.value = input.value; input.value = ""; other.focus(); other.select(); totals(); return;
      }
      if (ev.key === "-") {
        ev.preventDefault();
        document.getElementById("balance-hint").textContent = "红字（负数）金额只用于红字冲销：请在已记账凭证上点“红字冲销”";
        document.getElementById("balance-hint").className = "small bad";
        return;
      }
    }
    if (ev.key === "Enter") { ev.preventDefault(); focusNext(input); }
  });

  form.addEventListener("input", (ev) => {
    const input = ev.target;
    if (input.classList.contains("summary")) {
      const tr = input.closest("tr"), prev = tr.previousElementSibling, first = rows()[0];
      if (input.value === ".." && prev) input.value = prev.querySelector(".summary").value;
      if (input.value === "//" && first) input.value = first.querySelector(".summary").value;
    }
    if (input.classList.contains("account")) { input.classList.remove("is-invalid"); input.title = ""; showMenu(input); }
    if (input.classList.contains("amount")) { input.classList.toggle("is-invalid", isNaN(toFen(input.value))); totals(); }
  });
  form.addEventListener("focusin", (ev) => {
    const input = ev.target;
    if (input.classList && input.classList.contains("account") && !input.value) showMenu(input);
    if (input.classList && input.classList.contains("amount") && input.value && !isNaN(toFen(input.value))) {
      input.value = plain(toFen(input.value)); input.select();
    }
  });
  form.addEventListener("focusout", (ev) => {
    const input = ev.target;
    if (input.classList && input.classList.contains("account")) {
      setTimeout(() => { if (menuInput === input) hideMenu(); }, 150);
      expandCode(input);
    }
    if (input.classList && input.classList.contains("amount") && input.value && !isNaN(toFen(input.value))) {
      input.value = toFen(input.value) ? fmt(toFen(input.value)) : "";
    }
  });
  form.addEventListener("click", (ev) => {
    if (ev.target.closest(".remove-line")) removeRow(ev.target.closest("tr"));
  });
  const addLine = document.getElementById("add-line");  // none when the voucher moved on meanwhile (not saved)
  if (addLine) addLine.addEventListener("click", () => {
    const tr = addRow(rows()[rows().length - 1]);
    enterSummary(cellsOf(tr)[0]);
  });
  form.addEventListener("submit", () => {
    // Drop empty rows so the server sees only what was typed; a typed line without a summary takes the one above.
    // A row with only a summary (copied there by Enter) counts as empty.
    rows().forEach((tr) => { if (isBlank(tr) && rows().length > 2) tr.remove(); });
    let above = "";
    rows().forEach((tr) => {
      const summary = tr.querySelector(".summary");
      const typed = cellsOf(tr).some((i) => i !== summary && i.value.trim());
      if (typed && !summary.value.trim() && above) summary.value = above;
      above = summary.value.trim() || above;
    });
    renumber();
  });
  form.querySelectorAll("input.amount").forEach((i) => {
    if (i.value && !isNaN(toFen(i.value))) i.value = toFen(i.value) ? fmt(toFen(i.value)) : "";
  });
  totals();
  const firstBad = form.querySelector("input.is-invalid");
  (firstBad || rows()[0].querySelector(".summary")).focus();

  // The expected number is the next one of the month the page was opened for; another month's is decided when
  // the voucher is posted (the server numbers at posting, gapless).
  const expected = document.getElementById("expected-number");
  const dateBox = document.getElementById("voucher_date");
  if (expected && dateBox) {
    const original = expected.innerHTML;
    dateBox.addEventListener("change", () => {
      const day = window.typedDay(dateBox.value);
      if (day && day.slice(0, 7) === expected.dataset.ym) expected.innerHTML = original;
      else expected.textContent = "凭证号：记账时确定";
    });
  }
})();
