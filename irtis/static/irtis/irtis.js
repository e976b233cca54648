// irtis: "select all" checkboxes in list tables, also after htmx swaps.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const table = all.closest("table");
  table.querySelectorAll('input[name="pk"]').forEach((box) => { box.checked = all.checked; });
});
