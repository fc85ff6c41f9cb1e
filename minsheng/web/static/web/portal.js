/* Citizen portal: small enhancements only. Every page works without this file. */
(function () {
  "use strict";

  // Each cascading region picker (the portal's form, intake's dispatch form) replaces its
  // flat list once HTMX is there to fill it.
  function regionPicker() {
    if (!window.htmx) return;
    document.querySelectorAll(".region-picker").forEach(function (picker) {
      var flat = picker.querySelector("[data-region-flat]");
      var cascade = picker.querySelector("[data-region-cascade]");
      if (!flat || !cascade) return;
      flat.hidden = true;
      flat.querySelectorAll("select").forEach(function (select) { select.disabled = true; });
      cascade.hidden = false;
      cascade.querySelectorAll("select").forEach(function (select) { select.disabled = false; });
    });
  }

  // A live character count under textareas that carry a data-counter template.
  function counters() {
    document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (area) {
      var out = document.createElement("p");
      var max = area.getAttribute("maxlength");
      out.className = "help counter";
      out.id = area.id + "_counter";
      area.insertAdjacentElement("afterend", out);
      function update() {
        var n = area.value.length;
        out.textContent = area.dataset.counter.replace("%(n)s", n).replace("%(max)s", max);
        out.classList.toggle("counter-near", n > max * 0.9);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  // A search box that narrows the category list.
  function categorySearch() {
    var select = document.querySelector("select[data-search]");
    if (!select) return;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "category-search";
    input.placeholder = select.dataset.search;
    input.setAttribute("aria-label", select.dataset.search);
    input.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var query = input.value.trim();
      select.querySelectorAll("optgroup").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("option").forEach(function (option) {
          var hit = !query || group.label.indexOf(query) !== -1 ||
            option.textContent.indexOf(query) !== -1;
          option.hidden = !hit;
          if (hit) shown += 1;
        });
        group.hidden = shown === 0;
      });
    });
  }

  // Identity fields are hidden while "anonymous" is chosen.
  function identityToggle() {
    var box = document.querySelector("[data-identity-fields]");
    var radios = document.querySelectorAll("input[name=identity]");
    if (!box || !radios.length) return;
    function update() {
      var chosen = document.querySelector("input[name=identity]:checked");
      box.hidden = Boolean(chosen && chosen.value === "anonymous");
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  function init() {
    regionPicker();
    counters();
    categorySearch();
    identityToggle();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
