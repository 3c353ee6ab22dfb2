// Moves keyboard and screen-reader focus to what just changed: an error summary, or the message that
// says a record was saved. Runs on page load and after every htmx swap. Nothing here is needed for a
// page to work: without JavaScript the forms post and the server renders the whole page.
(function () {
  function focusFirst(root) {
    var target = (root || document).querySelector("[data-autofocus]");
    if (target) {
      target.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirst(document); });
  document.addEventListener("htmx:afterSettle", function () { focusFirst(document); });
})();
