// Service hall pages: print button, material rows (add, remove, reorder). The item chooser submits itself
// through app.js (data-autosubmit).
(() => {
  document.addEventListener("click", (ev) => {
    if (ev.target.closest("[data-print]")) window.print();
  });

  const table = document.getElementById("materials");
  if (!table) return;
  const body = table.tBodies[0];
  const renumber = () => {
    Array.from(body.rows).forEach((row, i) => { row.querySelector(".windows-seqno").textContent = i + 1; });
  };
  body.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button");
    if (!btn) return;
    const row = btn.closest("tr");
    if (btn.dataset.remove) {
      if (body.rows.length > 1) row.remove(); else row.querySelectorAll("input").forEach((i) => { i.value = ""; });
    } else if (btn.dataset.move === "-1" && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
    } else if (btn.dataset.move === "1" && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
    }
    renumber();
  });
  document.getElementById("add-material").addEventListener("click", () => {
    const row = body.rows[body.rows.length - 1].cloneNode(true);
    row.querySelectorAll("input").forEach((i) => { i.value = i.name === "m_copies" ? "1" : ""; });
    row.querySelector("select[name=m_original]").value = "0";
    row.querySelector("select[name=m_requirement]").value = "always";
    body.appendChild(row);
    renumber();
    row.querySelector("input[name=m_name]").focus();
  });
})();
