// Pages everyone can use: fixes to the theme's markup (tests/book/test_accessibility.py checks them with axe).
"use strict";

function nameIsVisibleText() {
  // An accessible name must contain the visible text (WCAG 2.5.3): these controls' text is their name.
  document.querySelectorAll(
    'summary[aria-label="Toggle hidden content"], .search-button-field[aria-label]'
  ).forEach((control) => control.removeAttribute("aria-label"));
  // Icons inside a labelled control are decoration, and their titles are not its name (Font Awesome turns
  // each <i title> into an <svg> with a <title>, after this page has loaded).
  document.querySelectorAll("button[aria-label] :is(i, svg), a[aria-label] :is(i, svg)").forEach((icon) => {
    icon.setAttribute("aria-hidden", "true");
    icon.removeAttribute("aria-labelledby");
    icon.removeAttribute("role");
    icon.querySelectorAll("title").forEach((title) => title.remove());
  });
}

function currentRoles() {
  // docutils marks bibliography entries with doc-biblioentry, a role ARIA deprecated; they are list items
  // of their citation list (whose children must be list items).
  document.querySelectorAll('[role="doc-biblioentry"]').forEach((entry) => entry.setAttribute("role", "listitem"));
}

function scrollBoxesTakeFocus() {
  // A box that scrolls sideways (a wide equation) can be scrolled from the keyboard (WCAG 2.1.1).
  document.querySelectorAll(".bd-article div.math, .bd-article mjx-container[display='true']").forEach((box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  nameIsVisibleText();
  currentRoles();
  new MutationObserver(nameIsVisibleText).observe(document.querySelector(".theme-switch-button") || document.body,
    { childList: true, subtree: true });
});
window.addEventListener("load", () => {
  nameIsVisibleText();
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(scrollBoxesTakeFocus);
  } else {
    scrollBoxesTakeFocus();
  }
});
window.addEventListener("resize", scrollBoxesTakeFocus);
