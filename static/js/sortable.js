// Sort a table's body rows by clicking a header button: <button class="sort-btn" data-col="N" data-kind="num|text">.
// Cells carry the raw value in data-value (amounts as plain numbers), so formatting does not affect the order.
document.addEventListener("click", (ev) => {
  const btn = ev.target.closest("table.sortable .sort-btn");
  if (!btn) return;
  const table = btn.closest("table");
  const th = btn.closest("th");
  const col = Number(btn.dataset.col);
  const numeric = btn.dataset.kind === "num";
  const ascending = th.getAttribute("aria-sort") !== "ascending";
  const key = (row) => {
    const value = row.cells[col].dataset.value || row.cells[col].textContent.trim();
    return numeric ? Number(value) : value;
  };
  const body = table.tBodies[0];
  const rows = Array.from(body.rows).filter((row) => row.cells.length > col);
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
    return ascending ? order : -order;
  });
  rows.forEach((row) => body.appendChild(row));
  table.querySelectorAll("th[aria-sort]").forEach((cell) => cell.removeAttribute("aria-sort"));
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
});
