// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen-reader and keyboard users land on what needs fixing.
  const summary = document.querySelector("[data-focus-on-load]");
  if (summary instanceof HTMLElement) summary.focus();
});
