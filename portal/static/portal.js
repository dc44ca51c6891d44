// Progressive enhancement for the Coverflex page: every form also works without this script.
// It auto-submits the "Visibile" checkbox, shows only the selected payment device, switches the
// two tabs of a device, and closes a popup reopened by the server after a refused save.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.autosubmit").forEach(function (box) {
    box.addEventListener("change", function () { box.form.submit(); });
  });

  function showPane(radio) {
    var popup = radio.closest(".popup-box");
    popup.querySelectorAll(".device-pane").forEach(function (p) {
      p.classList.toggle("shown", p.id === radio.dataset.pane);
    });
    var hint = popup.querySelector(".pane-hint");
    if (hint) hint.classList.add("hidden");
  }
  document.querySelectorAll("input.device-select").forEach(function (radio) {
    radio.addEventListener("change", function () { if (radio.checked) showPane(radio); });
    if (radio.checked) showPane(radio);
  });

  function showTab(tab) {
    var pane = tab.closest(".device-pane");
    pane.querySelectorAll(".tab").forEach(function (t) { t.classList.toggle("active", t === tab); });
    pane.querySelectorAll(".tab-panel").forEach(function (p) {
      p.classList.toggle("shown", p.id === tab.dataset.tab);
    });
  }
  document.querySelectorAll(".device-pane").forEach(function (pane) {
    var first = pane.querySelector(".tab");
    if (first) showTab(first);
  });
  document.querySelectorAll("a.tab").forEach(function (tab) {
    tab.addEventListener("click", function (ev) { ev.preventDefault(); showTab(tab); });
  });

  document.querySelectorAll(".popup .close").forEach(function (a) {
    a.addEventListener("click", function () { a.closest(".popup").classList.remove("open"); });
  });
});
