// The case list's "select all on this page" box: shown only when JavaScript runs (without
// it each row's box still works); it ticks or clears every row's box of its form.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("input[data-select-all]")) {
    const rows = () => box.form.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`);
    box.hidden = false;
    box.addEventListener("change", () => {
      for (const row of rows()) row.checked = box.checked;
    });
    box.form.addEventListener("change", (event) => {
      if (event.target === box) return;
      const all = [...rows()];
      box.checked = all.length > 0 && all.every((row) => row.checked);
      box.indeterminate = !box.checked && all.some((row) => row.checked);
    });
  }
});
