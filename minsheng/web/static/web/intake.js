/* Intake workbench (受理): keyboard shortcuts and small enhancements, no library.
 * Every page works without this file: the shortcuts' targets are ordinary links and forms,
 * and the list of shortcuts (#shortcut-help) is a <details> panel anyone can open.
 *
 * Queue:      j / k select the next / previous clue, Enter opens it.
 * Clue page:  d dispatch form, r reject form, m compare and merge, g then q back to the queue.
 * Everywhere: ? shows or hides the list; Escape hides it.
 * Shortcuts never fire while typing in a field, nor with Ctrl, Alt or Meta held.
 */
(function () {
  "use strict";

  var SEQUENCE_MS = 1500; // how long "g" waits for its second key
  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), " +
    "textarea:not([disabled])";

  function isTyping(target) {
    if (!target || target.nodeType !== 1) return false;
    if (target.isContentEditable) return true;
    return Boolean(target.closest("input, select, textarea"));
  }

  function byId(id) { return document.getElementById(id); }

  // ----- The help panel -----------------------------------------------------------------

  function toggleHelp(open) {
    var panel = byId("shortcut-help");
    if (!panel) return false;
    panel.open = open === undefined ? !panel.open : open;
    if (panel.open) {
      var toggle = byId("shortcut-help-toggle");
      if (toggle) toggle.focus();
    }
    return true;
  }

  // ----- Focusing an area of the page ---------------------------------------------------

  // Focus the first field (or link) in the element with this id; true when found.
  function focusArea(id, selector) {
    var area = byId(id);
    if (!area) return false;
    var target = area.querySelector(selector || FIELDS) || area;
    if (target === area && !area.hasAttribute("tabindex")) area.setAttribute("tabindex", "-1");
    target.focus();
    if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
    return true;
  }

  // "m": the merge form when a comparison is on screen, else the compare section's first
  // "并排比较" link, else its tracking-code field.
  function focusCompare() {
    if (byId("merge-form")) return focusArea("merge-form");
    if (byId("merge-area")) return focusArea("merge-area", "a[href], " + FIELDS);
    return focusArea("compare", ".compare-open, " + FIELDS);
  }

  // The jump links do the same as their keys, so that a click also lands in the form.
  function jumpLinks() {
    var jumps = { "jump-dispatch": "dispatch-form", "jump-reject": "reject-form" };
    Object.keys(jumps).forEach(function (id) {
      var link = byId(id);
      if (!link) return;
      link.addEventListener("click", function (event) {
        if (focusArea(jumps[id])) event.preventDefault();
      });
    });
    var compare = byId("jump-compare");
    if (compare) {
      compare.addEventListener("click", function (event) {
        if (focusCompare()) event.preventDefault();
      });
    }
  }

  // ----- The queue: j / k / Enter -------------------------------------------------------

  function queueRows() {
    var table = byId("intake-queue");
    return table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-clue-url]")) : [];
  }

  function selectedIndex(rows) {
    for (var i = 0; i < rows.length; i += 1) {
      if (rows[i].classList.contains("is-selected")) return i;
    }
    // A row the user tabbed into counts as selected.
    var active = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("tr[data-clue-url]");
    return active ? rows.indexOf(active) : -1;
  }

  function selectRow(rows, index) {
    index = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) {
      row.classList.toggle("is-selected", i === index);
      if (i === index) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    var link = rows[index].querySelector("a[href]");
    if (link) link.focus();
    rows[index].scrollIntoView({ block: "nearest" });
  }

  function queueKey(key, target) {
    var rows = queueRows();
    if (!rows.length) return false;
    var index = selectedIndex(rows);
    if (key === "j") { selectRow(rows, index + 1); return true; }
    if (key === "k") { selectRow(rows, index < 0 ? 0 : index - 1); return true; }
    if (key === "Enter" && index >= 0) {
      // On a focused link or button Enter already does its own thing.
      if (target && target.closest && target.closest("a[href], button, summary")) return false;
      window.location.assign(rows[index].getAttribute("data-clue-url"));
      return true;
    }
    return false;
  }

  // ----- The clue page: d / r / m / g q -------------------------------------------------

  var pendingG = 0;

  function clueKey(key) {
    if (pendingG && Date.now() - pendingG < SEQUENCE_MS) {
      pendingG = 0;
      if (key === "q") {
        var back = byId("back-to-queue");
        if (back) { window.location.assign(back.href); return true; }
      }
      return false;
    }
    pendingG = 0;
    switch (key) {
      case "d": return focusArea("dispatch-form");
      case "r": return focusArea("reject-form");
      case "m": return focusCompare();
      case "g":
        if (!byId("back-to-queue")) return false;
        pendingG = Date.now();
        return true;
      default: return false;
    }
  }

  function onKeydown(event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.isComposing || isTyping(event.target)) return;
    var key = event.key;
    // Shift is only part of "?" (on most layouts); Shift+J is not "j".
    if (event.shiftKey && key !== "?") return;
    var handled = false;
    if (key === "?") handled = toggleHelp();
    else if (key === "Escape") {
      var panel = byId("shortcut-help");
      handled = Boolean(panel && panel.open) && toggleHelp(false);
    } else if (key === "j" || key === "k" || key === "Enter") handled = queueKey(key, event.target);
    else handled = clueKey(key);
    if (handled) event.preventDefault();
  }

  // ----- A comparison loaded into the clue page -----------------------------------------

  function onSwap(event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    if (target.id === "compare-panel") {
      var heading = byId("comparison");
      if (heading) heading.focus();
    } else if (target.id === "compare-lookup") {
      var field = byId("id_compare_code");
      if (field) field.focus();
    }
  }

  function init() {
    document.addEventListener("keydown", onKeydown);
    document.body.addEventListener("htmx:afterSwap", onSwap);
    jumpLinks();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
