// A background job's progress page (templates/_job.html): poll the job's status and move the progress bar
// (no inline scripts: CSP). When the job ends, the parts marked data-when="done" or "failed" are shown, or the
// page reloads (data-reload) to show what the server made of the result.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  const url = box.dataset.statusUrl;
  const unit = box.dataset.unit || "";
  const bar = document.getElementById("job-bar");
  const byId = (id) => document.getElementById(id);

  function paint(s) {
    bar.style.width = s.percent + "%";
    bar.textContent = s.percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", s.percent);
    byId("job-label").textContent = s.label;
    byId("job-count").textContent = s.total ? s.done + " / " + s.total + " " + unit : "";
    byId("job-current").textContent = s.current;
    byId("job-error").textContent = s.error;
    byId("job-error").classList.toggle("d-none", !s.error);
    document.querySelectorAll("[data-when]").forEach((el) => {
      el.classList.toggle("d-none", el.dataset.when !== s.status);
    });
    if (s.finished) {
      bar.classList.remove("progress-bar-animated");
      if (s.status === "failed") bar.classList.add("bg-danger");
      if (box.dataset.reload === "true") window.location.reload();
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
