"""Drive a page with the keyboard only, and check what a keyboard user sees at every focus stop.

The journeys in test_keyboard_journeys.py never click or fill an element: they press Tab, Shift+Tab, Enter, Space
and the arrow keys, and type into whatever has focus, as someone who cannot use a mouse would. Locators are used
only to say where the user means to go and to read the page, never to act on it.

At every stop passed, :class:`Keyboard` checks the focused element shows GOV.UK Frontend's focus state (the yellow
#ffdd00 outline, background or box-shadow, on the element, its pseudo-elements or, for radios and checkboxes, its
label's) and that the state differs from the same element unfocused, and that the element is laid out inside the
viewport once focused. :meth:`Keyboard.walk` tabs through a whole page: it must reach the end and come back to the
top (no trap), start at the skip link, keep the regions in reading order (skip link, header, the banner above main,
main, footer) and, inside main, never jump back up and to the left; Shift+Tab must retrace the same stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from playwright.sync_api import Download, ElementHandle, Locator, Page

FOCUS_COLOUR = "rgb(255, 221, 0)"  # GOV.UK Frontend's $govuk-focus-colour, #ffdd00
MAX_STOPS = 250  # more stops than any page of ours has: reaching it means focus is trapped or cycling

# The regions of base.html in reading order; a focus stop may never go back to an earlier one.
REGIONS = ("skip", "header", "banner", "main", "footer")

# Describe document.activeElement: what it is, where it is, and whether its focus is visible. The unfocused style
# is read by blurring the element and focusing it again (so the page's focus handlers see a normal round trip).
_DESCRIBE = """
([target, checkStyle]) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const all = document.querySelectorAll('*');
  const key = Array.prototype.indexOf.call(all, el);
  const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.getAttribute('title') || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 60);
  const label = el.labels && el.labels.length ? el.labels[0].innerText.trim().replace(/\\s+/g, ' ').slice(0, 60) : '';
  const control = ['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY'].includes(el.tagName);
  const what = el.tagName.toLowerCase() + (el.type && el.tagName !== 'BUTTON' ? `[${el.type}]` : '')
    + (el.id ? `#${el.id}` : '') + (!control && el.classList.length ? `.${el.classList[0]}` : '')
    + ` "${label || text}"`;
  const region = el.classList.contains('govuk-skip-link') ? 'skip'
    : el.closest('header') ? 'header'
    : el.closest('main') ? 'main'
    : el.closest('footer') ? 'footer'
    : el.closest('.govuk-width-container') ? 'banner' : 'outside';
  const r = el.getBoundingClientRect();
  const inViewport = r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0
    && r.top < window.innerHeight && r.left < window.innerWidth;
  const place = b => ({top: b.top + scrollY, left: b.left + scrollX,
                       bottom: b.bottom + scrollY, right: b.right + scrollX});
  // A link that wraps has a box per line: where it starts and ends matter for reading order, not its bounds.
  const lines = [...el.getClientRects()].filter(b => b.width > 0 && b.height > 0);
  const box = {...place(r), first: place(lines[0] || r), last: place(lines[lines.length - 1] || r)};
  const result = {key, what, region, box, inViewport, hit: target ? el === target : false,
                  tabindex: el.getAttribute('tabindex'), focus: ''};
  if (!checkStyle) return result;

  const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color', 'color',
                 'text-decoration-line', 'text-decoration-thickness', 'border-top-width', 'border-top-color'];
  const parts = [[el, null], [el, '::before'], [el, '::after']];
  if (el.labels && (el.type === 'radio' || el.type === 'checkbox')) {
    for (const l of el.labels) parts.push([l, '::before'], [l, '::after']);
  }
  const snap = () => parts.map(([node, pseudo]) => {
    const s = getComputedStyle(node, pseudo);
    return Object.fromEntries(props.map(p => [p, s.getPropertyValue(p)]));
  });
  const focused = snap();
  el.blur();
  const plain = snap();
  el.focus({preventScroll: true});
  if (document.activeElement !== el) return {...result, focus: 'focus could not be restored'};
  const yellow = 'FOCUS';
  const shows = focused.some((s, i) => {
    const changed = props.some(p => s[p] !== plain[i][p]);
    const outline = s['outline-style'] !== 'none' && parseFloat(s['outline-width']) >= 2
      && s['outline-color'] === yellow;
    return changed && (outline || s['box-shadow'].includes(yellow) || s['background-color'] === yellow);
  });
  result.focus = shows ? 'visible' : 'no visible focus indicator (no GOV.UK yellow outline, background or shadow)';
  return result;
}
""".replace("FOCUS", FOCUS_COLOUR)

_POSITIVE_TABINDEX = """
() => [...document.querySelectorAll('[tabindex]')].filter(e => parseInt(e.getAttribute('tabindex'), 10) > 0)
  .map(e => e.outerHTML.slice(0, 120))
"""


@dataclass(frozen=True)
class Stop:
    """One place keyboard focus rested."""

    key: int
    what: str
    region: str
    box: dict  # where it is in the document: its bounds, and its first and last line boxes
    in_viewport: bool
    focus: str
    hit: bool
    tabindex: str | None

    def __str__(self) -> str:
        return f"{self.region}: {self.what}"


class KeyboardProblem(AssertionError):
    pass


class Keyboard:
    """A keyboard user on one page (across its navigations). Every stop it passes is checked; see the module."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.stops_checked = 0
        self.pages_walked: list[str] = []

    # -- reading focus -------------------------------------------------------------------------------------------

    def focused(self, target: Locator | ElementHandle | None = None, *, check: bool = True) -> Stop | None:
        """Describe the focused element (None for the page itself) and, with ``check``, fail unless its focus is
        visible and in view. ``hit`` says whether it is ``target``."""
        handle = target.element_handle() if isinstance(target, Locator) else target
        data = self.page.evaluate(_DESCRIBE, [handle, check])
        if data is None:
            return None
        stop = Stop(
            key=data["key"],
            what=data["what"],
            region=data["region"],
            box=data["box"],
            in_viewport=data["inViewport"],
            focus=data["focus"],
            hit=data["hit"],
            tabindex=data["tabindex"],
        )
        if check:
            self.stops_checked += 1
            if not stop.in_viewport:
                raise KeyboardProblem(f"{self.page.url}: focus is on {stop}, which is not visible in the viewport")
            if stop.focus != "visible":
                raise KeyboardProblem(f"{self.page.url}: focus is on {stop}: {stop.focus}")
        return stop

    def assert_focused(self, target: Locator) -> Stop:
        stop = self.focused(target)
        if stop is None or not stop.hit:
            raise KeyboardProblem(f"{self.page.url}: expected focus on {target}, it is on {stop or 'the page body'}")
        return stop

    # -- moving --------------------------------------------------------------------------------------------------

    def press(self, key: str) -> Stop | None:
        self.page.keyboard.press(key)
        return self.focused()

    def tab_to(self, target: Locator, *, limit: int = 40, backwards: bool = False) -> Stop:
        """Press Tab (Shift+Tab backwards) until ``target`` has focus; fail past ``limit`` presses, listing the stops
        passed: that is how an unreachable control or a trap shows."""
        handle = target.element_handle()
        key = "Shift+Tab" if backwards else "Tab"
        passed: list[str] = []
        for _ in range(limit):
            self.page.keyboard.press(key)
            stop = self.focused(handle)
            if stop is not None and stop.hit:
                return stop
            passed.append(str(stop or "(page body)"))
        raise KeyboardProblem(
            f"{self.page.url}: {target} not reached in {limit} presses of {key}; passed:\n  " + "\n  ".join(passed)
        )

    def type_into(self, target: Locator, text: str, *, replace: bool = False, limit: int = 40) -> None:
        self.tab_to(target, limit=limit)
        if replace:
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def check(self, checkbox: Locator) -> None:
        """Tab to a checkbox and tick it with Space."""
        self.tab_to(checkbox)
        if not checkbox.is_checked():
            self.page.keyboard.press("Space")
        if not checkbox.is_checked():
            raise KeyboardProblem(f"{self.page.url}: Space did not tick {checkbox}")

    def choose(self, radio: Locator) -> None:
        """Tab into a radio group (one stop: the checked option, else the first) and move to ``radio`` with the
        arrow keys, which also select it, as a keyboard user does."""
        name = radio.get_attribute("name")
        group = self.page.locator(f'input[type="radio"][name="{name}"]')
        values = [group.nth(i).get_attribute("value") for i in range(group.count())]
        want = values.index(radio.get_attribute("value"))
        checked = [i for i in range(len(values)) if group.nth(i).is_checked()]
        entry = group.nth(checked[0] if checked else 0)
        self.tab_to(entry)
        at = checked[0] if checked else 0
        if at == want and not checked:
            self.page.keyboard.press("Space")
        for _ in range(abs(want - at)):
            self.press("ArrowDown" if want > at else "ArrowUp")
        self.assert_focused(radio)
        if not radio.is_checked():
            raise KeyboardProblem(f"{self.page.url}: the arrow keys did not select {radio}")

    def select(self, select: Locator, option: str) -> None:
        """Tab to a closed select and move to the option (its label or value) with the arrow keys."""
        self.tab_to(select)
        options: list[list[str]] = select.evaluate("s => [...s.options].map(o => [o.label.trim(), o.value])")
        want = next(i for i, (label, value) in enumerate(options) if option in (label, value))
        at = select.evaluate("s => s.selectedIndex")
        for _ in range(abs(want - at)):
            self.page.keyboard.press("ArrowDown" if want > at else "ArrowUp")
        if select.evaluate("s => s.selectedIndex") != want:
            raise KeyboardProblem(f"{self.page.url}: the arrow keys did not choose {option!r} in {select}")

    @contextmanager
    def navigation(self) -> Iterator[None]:
        with self.page.expect_navigation():
            yield
        self.page.wait_for_load_state("load")

    def activate(self, target: Locator, *, key: str = "Enter", limit: int = 40) -> None:
        """Tab to a link or button and press Enter (or Space), waiting for the page it leads to."""
        self.tab_to(target, limit=limit)
        with self.navigation():
            self.page.keyboard.press(key)

    def download(self, target: Locator, *, limit: int = 120) -> Download:
        self.tab_to(target, limit=limit)
        with self.page.expect_download() as download:
            self.page.keyboard.press("Enter")
        return download.value

    # -- whole pages ---------------------------------------------------------------------------------------------

    def walk(self) -> list[Stop]:
        """Tab through the whole page and back; return the stops in order. See the module for what is checked."""
        page = self.page
        positive = page.evaluate(_POSITIVE_TABINDEX)
        if positive:
            raise KeyboardProblem(f"{page.url}: positive tabindex breaks the reading order: {positive}")
        # From wherever focus is, Tab must get back to the top: past the last stop to the page itself, or (as
        # Chromium does on some pages) straight round to the skip link ...
        for _ in range(MAX_STOPS):
            page.keyboard.press("Tab")
            top = self.focused(check=False)
            if top is None or top.region == "skip":
                break
        else:
            raise KeyboardProblem(f"{page.url}: Tab never got back to the top in {MAX_STOPS} presses: a trap")
        # ... and from the top, go through every stop once, until focus leaves the page or comes round again.
        stops: list[Stop] = [] if top is None else [self.focused()]
        for _ in range(MAX_STOPS):
            page.keyboard.press("Tab")
            stop = self.focused()
            if stop is None or (stops and stop.key == stops[0].key):
                break
            if stops and stop.key == stops[-1].key:
                raise KeyboardProblem(f"{page.url}: Tab did not move focus off {stop}: focus is trapped")
            if any(s.key == stop.key for s in stops):
                raise KeyboardProblem(
                    f"{page.url}: Tab came back to {stop} before leaving the page: a focus loop; stops:\n  "
                    + "\n  ".join(map(str, stops))
                )
            stops.append(stop)
        else:
            raise KeyboardProblem(f"{page.url}: {MAX_STOPS} stops without leaving the page: focus is trapped")
        _assert_reading_order(page.url, stops)
        # Shift+Tab retraces the same stops from the last (no trap going backwards either) ...
        for index, expected in enumerate(reversed(stops)):
            page.keyboard.press("Shift+Tab")
            stop = self.focused(check=False)
            if stop is None and index == 0:  # from the page itself back onto its last stop
                page.keyboard.press("Shift+Tab")
                stop = self.focused(check=False)
            if stop is None or stop.key != expected.key:
                raise KeyboardProblem(f"{page.url}: Shift+Tab went to {stop or 'the page body'}, expected {expected}")
        # ... and leaves the page from the skip link.
        page.keyboard.press("Shift+Tab")
        stop = self.focused(check=False)
        if stop is not None and stop.key != stops[-1].key:
            raise KeyboardProblem(f"{page.url}: Shift+Tab from the skip link went to {stop}")
        self.pages_walked.append(page.url)
        return stops


def _assert_reading_order(url: str, stops: list[Stop]) -> None:
    if not stops:
        raise KeyboardProblem(f"{url}: nothing on the page takes keyboard focus")
    if stops[0].region != "skip":
        raise KeyboardProblem(f"{url}: the first focus stop is {stops[0]}, not the skip link")
    listing = "\n  ".join(map(str, stops))
    ranks = []
    for stop in stops:
        if stop.region not in REGIONS:
            raise KeyboardProblem(f"{url}: {stop} is outside the page's regions; stops:\n  {listing}")
        ranks.append(REGIONS.index(stop.region))
    for before, after, rank_before, rank_after in zip(stops, stops[1:], ranks, ranks[1:], strict=False):
        if rank_after < rank_before:
            raise KeyboardProblem(f"{url}: focus goes back from {before} to {after}; stops:\n  {listing}")
        if before.region == after.region == "main" and _goes_back(before.box, after.box):
            raise KeyboardProblem(
                f"{url}: focus jumps back up and to the left from {before} to {after}; stops:\n  {listing}"
            )


def _goes_back(a: dict, b: dict, tolerance: float = 2) -> bool:
    """Whether ``b`` comes before ``a`` when reading left to right, top to bottom, in columns: ``b`` starts on the
    line where ``a`` ends but to its left, or wholly above that line and not in a column to the right of ``a``."""
    end, start = a["last"], b["first"]
    same_line = start["top"] < end["bottom"] - tolerance and start["bottom"] > end["top"] + tolerance
    if same_line:
        return start["left"] < end["left"] - tolerance
    above = start["bottom"] <= end["top"] + tolerance
    return above and start["left"] < a["right"] - tolerance
