// Moves keyboard and screen-reader focus to what just changed: an error summary, the message that says
// a record was saved, or how many facts a filtered trail holds; and says so when a form got no answer
// it could show. Nothing here is needed for a page to work: without JavaScript the forms post and the
// server renders the whole page.
(function () {
  "use strict";

  function focusOn(element) {
    if (!element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  function autofocusIn(root) {
    return root.matches("[data-autofocus]") ? root : root.querySelector("[data-autofocus]");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var target = document.querySelector("[data-autofocus]");
    if (target) {
      focusOn(target);
    }
  });

  // A form sent without htmx to its place on the page (an action ending in #schedule, to come back
  // there without JavaScript) comes back to an address with that fragment, and the browser scrolls
  // to it once the page has loaded, which takes the focus from the error summary and leaves it on
  // nothing. Then it is given again, unless the person has moved it somewhere already.
  window.addEventListener("load", function () {
    if (!window.location.hash) {
      return;
    }
    window.requestAnimationFrame(function () {
      var target = document.querySelector("[data-autofocus]");
      var lost = !document.activeElement || document.activeElement === document.body;
      if (target && lost) {
        focusOn(target);
      }
    });
  });

  // htmx fires afterSettle on each element it swapped in. Look only there: a notice left on the page by
  // an earlier post (outside the part swapped) must not take focus back. The trail's count is marked
  // data-autofocus only when filtered, so a plain page load keeps focus at the top; after a swap of the
  // whole trail it is still what changed, and what a screen reader should hear.
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.target;
    if (!(swapped instanceof Element) || !swapped.isConnected) {
      return;
    }
    var target = autofocusIn(swapped) || swapped.querySelector(".results-count");
    if (target) {
      focusOn(target);
    }
  });

  // htmx swaps no 4xx or 5xx answer but 422 (meta htmx-config in base.html), so without this a form
  // whose token expired, or that met a server error or no network, would leave the page as it was and
  // say nothing. The words are ours, never the server's.
  var PROBLEM_CLASS = "request-problem";

  // The form that sent the request. (htmx sets detail.elt to whichever element an event fires on: for
  // afterSwap that is the new content, so the sender is read from the request's own settings.)
  function formOf(event) {
    var elt = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    return elt instanceof Element ? elt.closest("form") || elt : null;
  }

  function reason(event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (event.type !== "htmx:responseError" || status === 0) {
      return "the page could not reach Cotrace";
    }
    if (status === 400) {
      return "the form had expired"; // Cotrace's 400: a form token it no longer knows (web/csrf.py)
    }
    if (status === 409) {
      return "someone else was changing the same record at the same moment";
    }
    if (status >= 500) {
      return "something went wrong in Cotrace";
    }
    return "Cotrace could not accept it";
  }

  function problemOf(form) {
    var first = form.firstElementChild;
    return first && first.classList.contains(PROBLEM_CLASS) ? first : null;
  }

  function removeProblem(form) {
    var old = problemOf(form);
    if (old) {
      old.remove();
    }
  }

  function sayNothingWasSaved(event) {
    var form = formOf(event);
    if (!form || !form.isConnected) {
      return;
    }
    var method = (event.detail.requestConfig && event.detail.requestConfig.verb) || "post";
    var outcome = method.toLowerCase() === "get" ? "Nothing changed: " : "Nothing was saved: ";
    var problem = document.createElement("div");
    problem.className = PROBLEM_CLASS;
    problem.setAttribute("role", "alert");
    var message = document.createElement("p");
    message.textContent = outcome + reason(event) + ". Reload the page and try again.";
    problem.appendChild(message);
    removeProblem(form); // a fresh region, so the same words are announced again on a second failure
    form.insertBefore(problem, form.firstChild);
    focusOn(problem);
  }

  document.addEventListener("htmx:responseError", sayNothingWasSaved);
  document.addEventListener("htmx:sendError", sayNothingWasSaved);
  document.addEventListener("htmx:timeout", sayNothingWasSaved);

  // A later answer from the same form that was swapped in: the problem is over. (A swap that replaced
  // the form took the message away with it.)
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = formOf(event);
    if (form && form.isConnected) {
      removeProblem(form);
    }
  });

  // A page with several forms swaps them all with any one's answer (the meeting record): what a person
  // typed in the others, and did not send, is carried over into the new forms, not wiped. Only fields
  // changed from what the page gave them, so the server's own values (a saved attendance) stand.
  var kept = null;

  function isChoice(field) {
    return field.type === "checkbox" || field.type === "radio";
  }

  function keyOf(form, field) {
    var key = (form.getAttribute("action") || "") + " " + field.name;
    return isChoice(field) ? key + " " + field.value : key;
  }

  function edited(field) {
    if (isChoice(field)) {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return field.value !== field.defaultValue;
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.type !== "hidden" && field.type !== "file" && field.type !== "submit";
    });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var sender = formOf(event);
    kept = null;
    if (!(target instanceof Element)) {
      return;
    }
    target.querySelectorAll("form").forEach(function (form) {
      if (form === sender) {
        return; // its answer says what became of it: saved, or its mistakes with what was sent
      }
      fieldsOf(form).filter(edited).forEach(function (field) {
        kept = kept || {};
        kept[keyOf(form, field)] = field.tagName === "SELECT"
          ? Array.prototype.map.call(field.selectedOptions, function (o) { return o.value; })
          : isChoice(field) ? field.checked : field.value;
      });
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!kept || !(event.detail.target instanceof Element)) {
      return;
    }
    var root = event.detail.target.isConnected ? event.detail.target : document;
    root.querySelectorAll("form").forEach(function (form) {
      fieldsOf(form).forEach(function (field) {
        var key = keyOf(form, field);
        if (!(key in kept)) {
          return;
        }
        if (field.tagName === "SELECT") {
          Array.prototype.forEach.call(field.options, function (o) { o.selected = kept[key].indexOf(o.value) >= 0; });
        } else if (isChoice(field)) {
          field.checked = kept[key];
        } else {
          field.value = kept[key];
        }
      });
    });
    kept = null;
  });
})();
