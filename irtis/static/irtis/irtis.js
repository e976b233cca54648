// irtis: "select all" checkboxes in list tables, also after htmx swaps.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const table = all.closest("table");
  table.querySelectorAll('input[name="pk"]').forEach((box) => { box.checked = all.checked; });
});

// Related-object search boxes (core/widgets.py): a click on a match chooses it.
document.addEventListener("click", (event) => {
  const match = event.target.closest("[data-lookup-value]");
  if (match) {
    const results = match.closest(".lookup-results");
    const input = results.previousElementSibling;
    const select = document.getElementById(input.dataset.lookupFor);
    const value = match.dataset.lookupValue;
    let option = Array.from(select.options).find((o) => o.value === value);
    if (!option) {
      option = new Option(match.textContent.trim(), value);
      select.add(option);
    }
    option.selected = true;
    results.replaceChildren();
    input.value = "";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return;
  }
  // In a multiple lookup select, a click on a chosen object removes it.
  const chosen = event.target.closest("select[multiple] option");
  if (chosen && chosen.parentElement.nextElementSibling?.dataset.lookupFor) chosen.remove();
});
