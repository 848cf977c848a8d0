// Progress of long work, updated in place instead of a meta refresh (which moves keyboard focus and the screen
// reader back to the top of the page: WCAG F41). For each [data-module="odp-progress"] (see
// templates/components/progress_region.html) fetch data-progress-url every data-progress-interval seconds, take
// the element with the region's id from the fetched page and patch only the nodes that differ, so focus stays
// where it is and the aria-live region announces just what changed. Stops once the region carries
// data-finished; if the page cannot be read (signed out, gone) it stops and shows the "Check progress" link.

const FAILURES_BEFORE_GIVING_UP = 3;

function sameShape(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName;
}

function patchAttributes(current, fresh) {
  for (const { name } of [...current.attributes]) {
    if (!fresh.hasAttribute(name)) current.removeAttribute(name);
  }
  for (const { name, value } of [...fresh.attributes]) {
    if (current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  // <progress value> and form fields keep live properties apart from their attributes.
  if ("value" in fresh && current.value !== fresh.value) current.value = fresh.value;
}

// Make `current`'s children match `fresh`'s, touching only nodes that differ.
export function patchChildren(current, fresh) {
  const have = [...current.childNodes];
  const want = [...fresh.childNodes];
  want.forEach((node, i) => {
    const old = have[i];
    if (!old) {
      current.appendChild(document.importNode(node, true));
    } else if (!sameShape(old, node)) {
      current.replaceChild(document.importNode(node, true), old);
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      patchAttributes(old, node);
      patchChildren(old, node);
    } else if (old.nodeValue !== node.nodeValue) {
      old.nodeValue = node.nodeValue;
    }
  });
  for (const extra of have.slice(want.length)) current.removeChild(extra);
}

function start(root) {
  const region = document.getElementById(root.dataset.progressRegion);
  const url = root.dataset.progressUrl;
  const seconds = Number(root.dataset.progressInterval) || 5;
  if (!region || !url || region.hasAttribute("data-finished")) return;
  const fallback = root.querySelector("[data-progress-fallback]");
  if (fallback) fallback.hidden = true;
  let failures = 0;

  async function check() {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok || response.redirected) throw new Error(`progress: ${response.status}`);
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById(region.id);
      if (!fresh) throw new Error("progress: region missing");
      failures = 0;
      patchChildren(region, fresh);
      if (fresh.hasAttribute("data-finished")) {
        region.setAttribute("data-finished", "");
        if (fallback) fallback.remove();
        return;
      }
    } catch (error) {
      failures += 1;
      if (failures >= FAILURES_BEFORE_GIVING_UP) {
        if (fallback) fallback.hidden = false;
        return;
      }
    }
    window.setTimeout(check, seconds * 1000);
  }

  window.setTimeout(check, seconds * 1000);
}

export function initProgress(scope = document) {
  for (const root of scope.querySelectorAll('[data-module="odp-progress"]')) start(root);
}
