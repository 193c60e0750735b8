// Disclosure batch run: poll the job's status and move the progress bar (no inline scripts: CSP).
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  const url = box.dataset.statusUrl;
  const bar = document.getElementById("job-bar");
  const show = (id, on) => document.getElementById(id).classList.toggle("d-none", !on);

  function paint(s) {
    bar.style.width = s.percent + "%";
    bar.textContent = s.percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", s.percent);
    document.getElementById("job-label").textContent = s.label;
    document.getElementById("job-count").textContent = s.done + " / " + s.total + " 个村";
    document.getElementById("job-current").textContent = s.current ? "正在生成：" + s.current : "";
    document.getElementById("job-error").textContent = s.error;
    show("job-error", Boolean(s.error));
    show("job-done", s.status === "done");
    if (s.finished) {
      bar.classList.remove("progress-bar-animated");
      if (s.status === "failed") bar.classList.add("bg-danger");
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((s) => {
        paint(s);
        if (!s.finished) setTimeout(poll, 1000);
      })
      .catch(() => setTimeout(poll, 3000));
  }
  poll();
})();
