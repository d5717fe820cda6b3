// Pages everyone can use: fixes to the theme's markup (tests/book/test_accessibility.py checks them with axe).
"use strict";

function nameIsVisibleText() {
  // An accessible name must contain the visible text (WCAG 2.5.3): these controls' text is their name.
  document.querySelectorAll(
    'summary[aria-label="Toggle hidden content"], .search-button-field[aria-label]'
  ).forEach((control) => control.removeAttribute("aria-label"));
  // Icons inside a labelled control are decoration, and their titles are not its name.
  document.querySelectorAll("button[aria-label] i, a[aria-label] i").forEach((icon) => {
    icon.setAttribute("aria-hidden", "true");
  });
}

function scrollBoxesTakeFocus() {
  // A box that scrolls sideways (a wide equation) can be scrolled from the keyboard (WCAG 2.1.1).
  document.querySelectorAll(".bd-article div.math, .bd-article mjx-container[display='true']").forEach((box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });
}

document.addEventListener("DOMContentLoaded", nameIsVisibleText);
window.addEventListener("load", () => {
  nameIsVisibleText();
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(scrollBoxesTakeFocus);
  } else {
    scrollBoxesTakeFocus();
  }
});
window.addEventListener("resize", scrollBoxesTakeFocus);
