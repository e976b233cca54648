// irtis: "select all" checkboxes in list tables, also after htmx swaps.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const table = all.closest("table");
  table.querySelectorAll('input[name="pk"]').forEach((box) => { box.checked = all.checked; });
});

// Related-object selects (core/widgets.py, core/choices.py). A search box below a select: typing
// fetches matches (ArrowDown in an empty box, the first ones); the arrow keys move through them,
// Enter or a click chooses one, Escape closes them. A select whose choices follow other fields of
// the form (data-depends) fetches its choices again when one of those fields changes.
// An object of the kind chosen in another field (data-lookup-kind): its search box asks that
// kind's lookup, and changing the kind empties the choice.
const lookupBase = (select) => {
  if (!select.dataset.lookupKind) return select.dataset.lookupUrl;
  const kind = select.form?.elements.namedItem(select.dataset.lookupKind);
  return JSON.parse(select.dataset.lookupUrls)[kind?.value];
};

const lookupUrl = (select, params) => {
  const query = new URLSearchParams(params);
  for (const [field, name] of Object.entries(JSON.parse(select.dataset.depends || "{}"))) {
    const parent = select.form?.elements.namedItem(name);
    if (parent?.value) query.set(field, parent.value);
  }
  return `${lookupBase(select)}?${query}`;
};

const lookupParts = (input) => {
  const box = input.closest(".lookup");
  return { select: document.getElementById(box.dataset.lookupFor), results: box.querySelector(".lookup-results") };
};

const closeMatches = (input) => {
  const { results } = lookupParts(input);
  delete input.dataset.asked;
  results.hidden = true;
  results.replaceChildren();
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
};

const activate = (input, option) => {
  const { results } = lookupParts(input);
  results.querySelectorAll('[aria-selected="true"]').forEach((o) => o.setAttribute("aria-selected", "false"));
  option.setAttribute("aria-selected", "true");
  option.id ||= `${results.id}-${option.dataset.lookupValue}`;
  input.setAttribute("aria-activedescendant", option.id);
  option.scrollIntoView({ block: "nearest" });
};

const showMatches = async (input) => {
  const { select, results } = lookupParts(input);
  if (!lookupBase(select)) return; // no kind chosen yet
  const url = lookupUrl(select, { "lookup-q": input.value });
  input.dataset.asked = url;
  const response = await fetch(url);
  const html = response.ok ? await response.text() : "";
  if (input.dataset.asked !== url) return; // closed, or a later request was sent
  results.innerHTML = html;
  results.hidden = false;
  input.setAttribute("aria-expanded", "true");
  const first = results.querySelector("[data-lookup-value]");
  if (first) activate(input, first);
};

const choose = (input, option) => {
  const { select } = lookupParts(input);
  const value = option.dataset.lookupValue;
  let chosen = Array.from(select.options).find((o) => o.value === value);
  if (!chosen) {
    chosen = new Option(option.textContent.trim(), value);
    select.add(chosen);
  }
  chosen.selected = true;
  input.value = "";
  closeMatches(input);
  select.dispatchEvent(new Event("change", { bubbles: true }));
};

document.addEventListener("input", (event) => {
  const input = event.target.closest(".lookup input");
  if (!input) return;
  clearTimeout(input.lookupTimer);
  input.lookupTimer = setTimeout(() => showMatches(input), 200);
});

document.addEventListener("keydown", (event) => {
  const input = event.target.closest?.(".lookup input");
  if (!input) return;
  const { results } = lookupParts(input);
  const options = Array.from(results.querySelectorAll("[data-lookup-value]"));
  const current = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (results.hidden) showMatches(input);
    else if (options.length) {
      const next = event.key === "ArrowDown" ? Math.min(current + 1, options.length - 1) : Math.max(current - 1, 0);
      activate(input, options[next]);
    }
  } else if (event.key === "Enter") {
    event.preventDefault(); // never submits the form
    if (current >= 0) choose(input, options[current]);
  } else if (event.key === "Escape" && !results.hidden) {
    event.preventDefault();
    closeMatches(input);
  }
});

document.addEventListener("focusout", (event) => {
  const input = event.target.closest?.(".lookup input");
  if (input && !input.closest(".lookup").contains(event.relatedTarget)) closeMatches(input);
});

document.addEventListener("click", (event) => {
  const option = event.target.closest(".lookup [data-lookup-value]");
  if (option) {
    choose(option.closest(".lookup").querySelector("input"), option);
    return;
  }
  // In a multiple lookup select, a click on a chosen object removes it.
  const chosen = event.target.closest("select[multiple] option");
  if (chosen && chosen.parentElement.nextElementSibling?.classList.contains("lookup")) chosen.remove();
});

// A child keeps its choice only if that still fits the parents; a plain select gets their choices.
const refreshChoices = async (select) => {
  const lookup = select.nextElementSibling?.classList.contains("lookup");
  if (lookup && !select.value) return;
  const url = lookupUrl(select, lookup ? { "lookup-options": 1, "lookup-pk": select.value } : { "lookup-options": 1 });
  select.dataset.asked = url;
  const response = await fetch(url);
  const html = response.ok ? await response.text() : null;
  if (select.dataset.asked !== url) return; // a later request was sent
  delete select.dataset.asked;
  if (html === null) return;
  const before = select.value;
  const empty = Array.from(select.options).filter((o) => o.value === "");
  select.innerHTML = html;
  select.prepend(...empty);
  select.value = before;
  if (select.selectedIndex < 0 && select.options.length) select.selectedIndex = 0;
  if (select.value !== before) select.dispatchEvent(new Event("change", { bubbles: true }));
};

document.addEventListener("change", (event) => {
  const parent = event.target;
  if (!parent.form || !parent.name) return;
  parent.form.querySelectorAll(`select[data-lookup-kind="${parent.name}"]`).forEach((chooser) => {
    Array.from(chooser.options).filter((o) => o.value !== "").forEach((o) => o.remove());
  });
  parent.form.querySelectorAll("select[data-depends]").forEach((child) => {
    if (Object.values(JSON.parse(child.dataset.depends)).includes(parent.name)) refreshChoices(child);
  });
});
