// Similar ideas while writing: as the author types the title or the problem, ask the API for ideas that look
// alike and list them beside the question. Non-blocking (debounced, errors ignored) and built with DOM calls,
// never innerHTML, so idea text is always shown as text. Without JavaScript the page lists them on load.
const panel = document.getElementById("similar-ideas");

if (panel) {
  const list = panel.querySelector("#similar-list");
  const titleInput = document.getElementById("id_title");
  const problemInput = document.getElementById("id_problem");
  let timer = null;
  let latest = 0;

  const render = (ideas) => {
    list.replaceChildren();
    for (const idea of ideas) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.href = `/ideas/${idea.id}/`;
      link.textContent = idea.title;
      const detail = document.createElement("span");
      detail.className = "govuk-body-s";
      detail.textContent = `${idea.reference}, ${idea.organisation.name}`;
      item.append(link, document.createElement("br"), detail);
      list.append(item);
    }
    panel.hidden = ideas.length === 0;
  };

  const lookUp = async () => {
    const title = titleInput ? titleInput.value : panel.dataset.title;
    const problem = problemInput ? problemInput.value : panel.dataset.problem;
    if ((title + problem).trim().length < 4) {
      render([]);
      return;
    }
    const query = new URLSearchParams({ title: title.slice(0, 150), problem: problem.slice(0, 1000) });
    if (panel.dataset.exclude) query.set("exclude", panel.dataset.exclude);
    const asked = ++latest;
    try {
      const response = await fetch(`${panel.dataset.similarUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok && asked === latest) render(await response.json());
    } catch {
      // Similar ideas are a help, not a step: a failed look-up leaves the page as it was.
    }
  };

  for (const input of [titleInput, problemInput]) {
    input?.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 400);
    });
  }
}
