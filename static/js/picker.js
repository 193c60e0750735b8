// The pinyin account picker outside voucher entry (明细账, claim lines): a text box with data-picker="<id>" offers
// the accounts listed in the JSON script element of that id, ranked as voucher entry ranks them (app.js
// accountMatches). Arrow keys move, Enter or Tab picks, Escape closes; the box keeps "code name" and the server
// reads the code. No inline script (CSP): the list is data, not code.
(() => {
  "use strict";
  const boxes = document.querySelectorAll("input[data-picker]");
  if (!boxes.length) return;
  const menu = document.createElement("ul");
  menu.className = "account-menu list-group shadow";
  menu.id = "picker-menu";
  menu.hidden = true;
  document.body.appendChild(menu);
  const lists = {};
  let box = null, index = 0;
  const accountsOf = (input) => {
    const id = input.dataset.picker;
    if (!lists[id]) lists[id] = JSON.parse(document.getElementById(id).textContent || "[]");
    return lists[id];
  };
  const items = () => menu.querySelectorAll("li[data-value]");

  function pick(value) {
    if (!box) return;
    box.value = value;
    box.classList.remove("is-invalid");
    box.dispatchEvent(new Event("change", { bubbles: true }));
    hide();
  }
  function hide() { menu.hidden = true; box = null; }
  function show(input) {
    box = input; index = 0;
    window.fillAccountMenu(menu, window.accountMatches(accountsOf(input), input.value), pick, "没有匹配的科目");
    const r = input.getBoundingClientRect();
    const width = Math.min(Math.max(320, r.width), window.innerWidth - 16);  // a phone: never wider than the screen
    menu.style.minWidth = `${width}px`;
    menu.style.maxWidth = `${window.innerWidth - 16}px`;
    menu.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8)) + window.scrollX}px`;
    menu.style.top = `${r.bottom + window.scrollY}px`;
    menu.hidden = false;
  }
  function move(step) {
    const all = items();
    if (!all.length) return;
    all[index].classList.remove("active");
    index = (index + step + all.length) % all.length;
    all[index].classList.add("active");
    all[index].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("focusin", (ev) => { if (ev.target.matches("input[data-picker]")) show(ev.target); });
  document.addEventListener("input", (ev) => { if (ev.target.matches("input[data-picker]")) show(ev.target); });
  document.addEventListener("focusout", (ev) => { if (ev.target === box) setTimeout(hide, 150); });
  document.addEventListener("keydown", (ev) => {
    if (!box || ev.target !== box || menu.hidden || ev.isComposing || ev.keyCode === 229) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); move(1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); move(-1); }
    else if (ev.key === "Escape") { hide(); }
    else if (ev.key === "Enter" || ev.key === "Tab") {
      const active = menu.querySelector("li.active[data-value]");
      if (active && box.value.trim() !== active.dataset.value) { if (ev.key === "Enter") ev.preventDefault(); pick(active.dataset.value); }
    }
  });
})();
