// The public kiosk (templates/kiosk/base.html): back to the home screen after a while without a touch, with a
// countdown the villager can stop; and the touch keyboard that types into a search or number field.
(function () {
  "use strict";
  const body = document.body;
  const idle = Number(body.dataset.idle || 0);
  const home = body.dataset.home;
  const toast = document.getElementById("kiosk-idle");
  const left = document.getElementById("kiosk-idle-left");
  if (idle > 0 && home && toast && !body.dataset.atHome) {
    const warn = Math.min(10, Math.max(1, Math.floor(idle / 2)));  // the countdown's length, in seconds
    let last = Date.now();
    const touched = () => {
      last = Date.now();
      if (!toast.hidden) toast.hidden = true;
    };
    ["pointerdown", "touchstart", "keydown", "wheel", "scroll", "input"].forEach((name) => {
      window.addEventListener(name, touched, { passive: true, capture: true });
    });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) touched();  // a phone put away and taken out again starts afresh
    });
    document.getElementById("kiosk-stay").addEventListener("click", touched);
    window.setInterval(() => {
      const remaining = idle - (Date.now() - last) / 1000;
      if (remaining <= 0) {
        window.location.replace(home);
      } else if (remaining <= warn) {
        left.textContent = String(Math.ceil(remaining));
        toast.hidden = false;
      }
    }, 250);
  }

  // A search's keyboard folds away until its field is touched, so the results stay in sight.
  document.querySelectorAll(".kiosk-keyboard.is-folded").forEach((board) => {
    const input = document.getElementById(board.dataset.target);
    if (input) input.addEventListener("focus", () => board.classList.remove("is-folded"));
  });

  // Touch keyboard: each key types into the field of its form touched last (at first its data-target).
  document.querySelectorAll(".kiosk-keyboard").forEach((board) => {
    const form = board.closest("form");
    if (!form) return;
    form.querySelectorAll("input.kiosk-input:not(.kiosk-no-keys)").forEach((input) => {
      input.addEventListener("focus", () => { board.dataset.target = input.id; });
    });
  });
  document.addEventListener("click", (ev) => {
    const key = ev.target.closest(".kiosk-key[data-key]");
    if (!key) return;
    const board = key.closest(".kiosk-keyboard");
    const input = board && document.getElementById(board.dataset.target);
    if (!input) return;
    const k = key.dataset.key;
    const max = Number(input.getAttribute("maxlength") || 0);
    if (k === "back") input.value = input.value.slice(0, -1);
    else if (k === "clear") input.value = "";
    else if (!max || input.value.length < max) input.value += k;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
