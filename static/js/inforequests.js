// 依申请公开: choosing an answer kind fills the legal basis box with the kind's article while the clerk has not
// written one of his own (the server fills the same default when the box is left empty).
(function () {
  const select = document.getElementById("outcome");
  const basis = document.getElementById("answer_basis");
  if (!select || !basis) return;
  const bases = JSON.parse(select.dataset.bases || "{}");
  let filled = "";
  select.addEventListener("change", function () {
    if (basis.value === "" || basis.value === filled) {
      filled = bases[select.value] || "";
      basis.value = filled;
    }
  });
})();
