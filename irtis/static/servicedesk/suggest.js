// Suggests knowledge base articles while a request is typed (the request form's subject and text).
(function () {
  "use strict";
  const box = document.getElementById("suggestions");
  if (!box) return;
  const fields = document.querySelectorAll("[data-suggest]");
  const list = box.querySelector("ul");
  let timer = null;
  let asked = "";
  function ask() {
    const text = Array.from(fields).map((f) => f.value).join(" ").trim();
    if (text === asked) return;
    asked = text;
    if (text.length < 3) { box.hidden = true; return; }
    fetch(box.dataset.url + "?q=" + encodeURIComponent(text), {headers: {"Accept": "application/json"}})
      .then((r) => r.ok ? r.json() : {articles: []})
      .then((data) => {
        if (text !== asked) return;
        list.replaceChildren(...data.articles.map((a) => {
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = a.url;
          link.target = "_blank";
          link.textContent = a.title;
          item.append(link);
          return item;
        }));
        box.hidden = data.articles.length === 0;
      });
  }
  fields.forEach((f) => f.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, 250); }));
})();
