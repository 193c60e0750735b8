// Claim form: running total, the 白条 warning, and more blank lines on demand (no inline scripts: CSP).
(() => {
  const table = document.getElementById("claim-lines");
  if (!table) return;
  const body = table.querySelector("tbody");
  const parse = (s) => window.toFen(s, { negative: false }) || 0;  // app.js: never a float, full-width read
  const fmt = (fen) => (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const refresh = () => {
    let total = 0;
    let white = false;
    body.querySelectorAll("tr.claim-line").forEach((tr) => {
      const amount = tr.querySelector(".claim-amount");
      const invoice = tr.querySelector(".claim-invoice");
      const filled = amount && amount.value.trim() !== "";
      total += filled ? parse(amount.value) : 0;
      const slip = filled && invoice && invoice.value !== "vat";
      tr.classList.toggle("claims-row-white", slip);
      white = white || slip;
    });
    document.getElementById("claim-total").textContent = fmt(total);
    document.getElementById("claim-white").textContent = white ? "白条" : "";
  };
  document.getElementById("add-claim-line").addEventListener("click", () => {
    // A phone hides the spare blank lines but one (app.css): show the next of them before making new ones.
    const spare = [...body.querySelectorAll("tr.claims-spare")].find((tr) => getComputedStyle(tr).display === "none");
    if (spare) {
      spare.classList.remove("claims-spare");
      spare.querySelector("input").focus();
      return;
    }
    const rows = body.querySelectorAll("tr.claim-line");
    const last = rows[rows.length - 1];
    const copy = last.cloneNode(true);
    const n = rows.length;
    copy.querySelector(".claims-line-n").textContent = String(n + 1);
    copy.classList.remove("claims-line-bad", "claims-spare");
    copy.querySelectorAll("input, select").forEach((el) => {
      el.name = el.name.replace(/^lines-\d+-/, `lines-${n}-`);
      el.id = el.name;
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
      if (el.tagName === "INPUT") el.value = "";
      else el.value = "vat";
      el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/第\d+行/, `第${n + 1}行`));
    });
    copy.querySelectorAll(".invalid-feedback").forEach((el) => el.remove());
    body.appendChild(copy);
    copy.querySelector("input").focus();
  });
  body.addEventListener("input", refresh);
  body.addEventListener("change", refresh);
  refresh();
})();
