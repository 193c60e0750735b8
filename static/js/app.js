// Site-wide behaviour without inline scripts (the CSP forbids them).
document.addEventListener("click", (ev) => {
  const btn = ev.target.closest("[data-confirm]");
  if (btn && btn.form && !periodsFit(btn.form)) {
    ev.preventDefault();  // what the server would refuse is said first, not after "are you sure?"
  } else if (btn && !window.confirm(btn.dataset.confirm)) {
    ev.preventDefault();
  }
});
// A date box that must lie some days after another of its form (data-days-from: the other's name, data-days-min:
// the days counted inclusively, data-days-why: the sentence, {min} and {days} filled in), such as a notice's display
// period: checked before a confirmation is asked, said at the box.
function periodsFit(form) {
  for (const box of form.querySelectorAll("input[data-days-from]")) {
    const from = window.typedDay((form.elements[box.dataset.daysFrom] || {}).value || "");
    const to = window.typedDay(box.value);
    const min = Number(box.dataset.daysMin), days = from && to ? (Date.parse(to) - Date.parse(from)) / 864e5 + 1 : min;
    box.setCustomValidity(days < min ? box.dataset.daysWhy.replace("{min}", min).replace("{days}", days) : "");
    if (days < min) {
      box.reportValidity();
      return false;
    }
  }
  return true;
}
document.addEventListener("input", (ev) => {
  if (ev.target.dataset && "daysFrom" in ev.target.dataset) ev.target.setCustomValidity("");
});
// A select marked data-autosubmit submits its form when changed (e.g. the annual report's year).
document.addEventListener("change", (ev) => {
  const select = ev.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit();
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

// Dates and months are text boxes (the browser's language never decides how they look): what was typed as
// 2026年10月5日, 2026/10/5 or in full-width digits is shown back as 2026-10-05 when the box is left; the server
// reads every one of these forms itself (core/periods.py), so this is only a courtesy.
window.halfWidth = (s) => String(s || "").replace(/[\uFF01-\uFF5E]/g,
  (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0)).replace(/\u3000/g, " ").trim();
// An amount as the server reads it (core/money.py): full-width digits, thousands commas (, or ，), spaces and ¥
// allowed; fen as an integer, 0 for an empty box, NaN for anything else (the page marks it, the server explains).
window.toFen = function (text, { negative = true } = {}) {
  const s = halfWidth(text).replace(/[,，\s¥￥]/g, "").replace(/。/g, ".");
  if (s === "") return 0;
  if (!(negative ? /^-?\d+(\.\d{0,2})?$/ : /^\d+(\.\d{0,2})?$/).test(s)) return NaN;
  const neg = s.startsWith("-");
  const [w, f = ""] = s.replace("-", "").split(".");
  const fen = parseInt(w, 10) * 100 + parseInt((f + "00").slice(0, 2), 10);
  return neg ? -fen : fen;
};
// Boxes of numbers, codes, phones and case numbers show what the server will read: an input method left in
// full-width mode (１２３, ＡＢＣ) is turned half-width when the box is left.
document.addEventListener("change", (ev) => {
  const box = ev.target;
  if (!(box instanceof HTMLInputElement) || !/[\uFF01-\uFF5E\u3000]/.test(box.value)) return;
  const numeric = ["decimal", "numeric", "tel"].includes(box.inputMode) || box.type === "tel" ||
    box.classList.contains("amount") || "digits" in box.dataset;
  if (numeric) box.value = halfWidth(box.value);
});
// The account pickers' one ranking (voucher entry, 明细账, claims): code prefix (a parent code offers its leaves),
// then pinyin initials of the account or of its full path (yhck offers every 银行存款 sub-account), then any part
// of the name; full-width input (５１３, ＹＨＣＫ) is read half-width. Accounts are {code, name, py, fpy}.
window.accountMatches = function (accounts, text, limit = 50) {
  const q = halfWidth(text).toLowerCase();
  if (!q) return accounts.slice(0, limit);
  const code = q.split(/\s/)[0];
  const rank = (a) => {
    if (/^\d+$/.test(code)) return a.code.startsWith(code) ? 0 : -1;
    if ((a.py || "").startsWith(q)) return 1;
    if ((a.fpy || "").startsWith(q)) return 2;
    if (a.name.toLowerCase().includes(q)) return 3;
    if ((a.fpy || "").includes(q)) return 4;
    return -1;
  };
  return accounts.map((a) => [rank(a), a]).filter(([r]) => r >= 0)
    .sort((x, y) => x[0] - y[0] || (x[1].code < y[1].code ? -1 : 1)).map(([, a]) => a).slice(0, limit);
};
// Fill an account picker's list: one item per account ("code name"), the first active; a mousedown picks.
window.fillAccountMenu = function (menu, list, onPick, empty) {
  menu.innerHTML = "";
  list.forEach((a, i) => {
    const li = document.createElement("li");
    li.className = "list-group-item" + (i === 0 ? " active" : "");
    const code = document.createElement("span");
    code.className = "code"; code.textContent = a.code;
    li.append(code, " ", a.name);
    li.dataset.value = `${a.code} ${a.name}`;
    li.addEventListener("mousedown", (ev) => { ev.preventDefault(); onPick(li.dataset.value); });
    menu.appendChild(li);
  });
  if (!list.length) {
    const li = document.createElement("li");
    li.className = "list-group-item text-muted"; li.textContent = empty;
    menu.appendChild(li);
  }
};
const pad = (n) => String(n).padStart(2, "0");
window.typedMonth = function (text) {
  const m = halfWidth(text).match(/^(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月份?|(\d{2}))$/);
  const month = m && Number(m[2] || m[3] || m[4]);
  return m && month >= 1 && month <= 12 ? `${m[1]}-${pad(month)}` : null;
};
window.typedDay = function (text) {
  const m = halfWidth(text).match(
    /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|(\d{2})(\d{2}))$/);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2] || m[4] || m[6]), Number(m[3] || m[5] || m[7])];
  const day = new Date(y, mo - 1, d);
  return day.getFullYear() === y && day.getMonth() === mo - 1 && day.getDate() === d ? `${y}-${pad(mo)}-${pad(d)}` : null;
};
document.addEventListener("change", (ev) => {
  const box = ev.target.closest("input[data-ym], input[data-day]");
  if (!box || !box.value.trim()) return;
  const shown = "ym" in box.dataset ? typedMonth(box.value) : typedDay(box.value);
  if (shown) box.value = shown;
  box.classList.toggle("is-invalid", !shown);
  box.title = shown ? "" : ("ym" in box.dataset ? "请写成 2026-10、2026/10 或 2026年10月" : "请写成 2026-10-05、2026/10/5 或 2026年10月5日");
});

// A browser's maxlength counts UTF-16 units, so a rare character (生僻字 outside the BMP, e.g. 𠀀) counts as two
// and a name of them is stopped at half its length. The server counts characters; so does this: on a field's
// first focus (or input) its limit moves to data-maxchars (maxlength doubled, never reached by characters), and
// what is typed, pasted or dropped keeps to that many characters as maxlength would keep to its units: what does
// not fit is not inserted (a paste inserts the part that fits). Text already there is never cut; an input
// method's composition is trimmed of what does not fit when it ends.
const chars = (text) => Array.from(text || "").length;
function countChars(el) {
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) || el.dataset.maxchars) return;
  if (el.maxLength > 0) {
    el.dataset.maxchars = el.maxLength;
    el.maxLength = el.maxLength * 2;
  }
}
// A limited field says how much of it is used once it is four-fifths full, and that it is full: it stops taking
// text at its limit, which would otherwise happen without a word (fields of a few characters, codes, say nothing).
function sayCount(el) {
  const max = Number(el && el.dataset && el.dataset.maxchars);
  if (!max || max < 20) return;
  const n = chars(el.value);
  let note = el.charCount;
  if (n < max * 0.8) {
    if (note) note.hidden = true;
    return;
  }
  if (!note) {
    note = document.createElement("div");
    note.className = "form-text char-count";
    note.setAttribute("aria-live", "polite");
    const at = el.closest(".input-group") || el;  // in a row of a box and its button: under the row
    if (getComputedStyle(at.parentElement).display.endsWith("flex")) at.parentElement.append(note);
    else at.insertAdjacentElement("afterend", note);
    el.charCount = note;
  }
  note.hidden = false;
  note.textContent = n >= max ? `已达上限 ${max} 字` : `已输入 ${n} / ${max} 字`;
  note.classList.toggle("text-danger", n >= max);
}
document.addEventListener("focusin", (ev) => { countChars(ev.target); sayCount(ev.target); });
document.addEventListener("input", (ev) => sayCount(ev.target));
document.addEventListener("DOMContentLoaded", () => countChars(document.activeElement));  // autofocus
document.addEventListener("beforeinput", (ev) => {
  const el = ev.target;
  countChars(el);
  const max = Number(el.dataset && el.dataset.maxchars);
  if (!max || ev.isComposing || !/^insert(Text|FromPaste|FromDrop|ReplacementText)$/.test(ev.inputType)) return;
  const incoming = ev.data ?? (ev.dataTransfer ? ev.dataTransfer.getData("text/plain") : "");
  const start = el.selectionStart, end = el.selectionEnd;
  const room = max - (chars(el.value) - chars(el.value.slice(start, end)));
  if (chars(incoming) <= room) return;
  ev.preventDefault();
  const fit = Array.from(incoming).slice(0, Math.max(room, 0)).join("");
  if (fit) {
    el.setRangeText(fit, start, end, "end");
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }
});
document.addEventListener("compositionstart", (ev) => {
  const el = ev.target;
  if (el.dataset && el.dataset.maxchars) {
    el.dataset.charsBefore = chars(el.value) - chars(el.value.slice(el.selectionStart, el.selectionEnd));
  }
});
document.addEventListener("compositionend", (ev) => {
  const el = ev.target;
  const max = Number(el.dataset && el.dataset.maxchars);
  const composed = chars(el.value) - Number(el.dataset.charsBefore || 0);
  const excess = max ? Math.min(chars(el.value) - max, composed) : 0;
  if (excess <= 0) return;
  const caret = el.selectionStart;  // just after the composed text: what does not fit is cut from its end
  const head = Array.from(el.value.slice(0, caret));
  const kept = head.slice(0, Math.max(head.length - excess, 0)).join("");
  el.value = kept + el.value.slice(caret);
  el.setSelectionRange(kept.length, kept.length);
  sayCount(el);
});
