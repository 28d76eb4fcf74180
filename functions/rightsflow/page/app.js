// The GDPR page: submit a request, prove it is you, follow it. No framework, no build step.
// Its words come from the same gettext catalogs as our e-mails (locale/<language>.json), in the
// language the browser prefers or the person chooses; requests carry that language, so the
// e-mails that follow are written in it too.
(function () {
  "use strict";
  var API = (document.querySelector('meta[name="rightsflow-api"]') || {}).content || "";
  // The languages we write (rightsflow.domain.language.LANGUAGES), each named in itself.
  var LANGUAGES = {
    en: "English", de: "Deutsch", fr: "Français", es: "Español", it: "Italiano",
    nl: "Nederlands", pt: "Português", pl: "Polski", sv: "Svenska", da: "Dansk"
  };
  var TERMINAL = ["completed", "declined", "unverified"];
  var current = null; // {request_id, status_token}
  var poller = null;
  // One Idempotency-Key per form submission: trying the same answers again (after a network
  // failure, say) reuses it, so the API answers the first receipt and sends nothing twice.
  var pending = null; // {key, body}
  var shown = null; // the status last shown, written again when the language changes
  var catalog = { language: "en", plural: ["one", "other"], messages: {} };
  var firstLanguage = preferredLanguage(); // before a link's query leaves the address bar

  function $(id) { return document.getElementById(id); }

  // ---------------------------------------------------------------- words
  function fill(text, values) {
    return text.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }
  function gettext(message, values) {
    var text = catalog.messages[message];
    return fill(typeof text === "string" && text ? text : message, values);
  }
  function ngettext(singular, plural, count, values) {
    var forms = catalog.messages[singular];
    var category = new Intl.PluralRules(catalog.language).select(count);
    var index = catalog.plural.indexOf(category);
    if (index < 0) { index = catalog.plural.length - 1; }
    var text = Array.isArray(forms) && forms[index] ? forms[index] : (count === 1 ? singular : plural);
    var all = { count: count };
    Object.keys(values || {}).forEach(function (key) { all[key] = values[key]; });
    return fill(text, all);
  }
  function statusWord(status) {
    return {
      received: gettext("Received"),
      pending_verification: gettext("Waiting for your verification code"),
      in_progress: gettext("In progress"),
      awaiting_brand: gettext("Waiting for the Brand that controls your data"),
      needs_attention: gettext("Being looked at by our privacy team"),
      completed: gettext("Completed"),
      declined: gettext("Declined"),
      unverified: gettext("Closed: not verified")
    }[status] || status;
  }
  function rightWord(type) {
    return {
      access: gettext("Access"), rectification: gettext("Rectification"), erasure: gettext("Erasure"),
      restriction: gettext("Restriction"), portability: gettext("Portability"),
      objection: gettext("Objection"), automated_decision: gettext("Automated decisions"),
      withdraw_consent: gettext("Withdraw consent"), opt_out_sale_sharing: gettext("Do not sell or share"),
      limit_sensitive_pi: gettext("Limit sensitive information"),
      opt_out_targeted_advertising: gettext("No targeted advertising"),
      opt_out_profiling: gettext("No profiling"), complaint: gettext("Complaint"),
      appeal: gettext("Appeal a decision"), lift_restriction: gettext("Lifting the restriction")
    }[type] || type.replace(/_/g, " ");
  }
  // What the person reads for a problem with a field (the API's own words are English).
  function fieldProblem(field, problem) {
    var words = {
      type: gettext("Choose what you would like us to do."),
      email: gettext("Enter an e-mail address we can write to, such as name@example.com."),
      phone: gettext("Enter a phone number with its country code, such as +44 20 7946 0000."),
      account_number: gettext("Enter the account number as the Brand shows it (letters, digits, dots and dashes)."),
      brand: gettext("Enter the Brand's short name, as it appears in its app."),
      jurisdiction: gettext("Choose where you live."),
      details: gettext("Check what you wrote in this part of the form."),
      appeal_of: gettext("Enter the request id of the decision you appeal."),
      status_token: gettext("Enter the appeal token from the closing e-mail, or the request's status token."),
      code: gettext("Enter the six-digit code from the e-mail.")
    }[field];
    if (!words) { return problem; }
    return catalog.language === "en" && problem ? words + " (" + problem + ")" : words;
  }

  // Every data-i18n element: its text (kept from the page as written) in the chosen language; a
  // data-i18n value is a sentence whose %(name)s are filled by the element's data-slot children.
  function translatePage() {
    document.querySelectorAll("[data-i18n]").forEach(function (element) {
      var template = element.getAttribute("data-i18n");
      if (!template) {
        if (element.dataset.source === undefined) {
          element.dataset.source = element.textContent.replace(/\s+/g, " ").trim();
        }
        element.textContent = gettext(element.dataset.source);
        return;
      }
      var slots = {};
      element.querySelectorAll("[data-slot]").forEach(function (slot) { slots[slot.dataset.slot] = slot; });
      var parts = gettext(template.replace(/\s+/g, " ").trim()).split(/%\((\w+)\)s/);
      while (element.firstChild) { element.removeChild(element.firstChild); }
      parts.forEach(function (part, index) {
        if (index % 2 === 0) { element.appendChild(document.createTextNode(part)); }
        else if (slots[part]) { element.appendChild(slots[part]); }
      });
    });
    // A label attribute people read (the place list's groups), its source in data-i18n-label.
    document.querySelectorAll("[data-i18n-label]").forEach(function (element) {
      element.setAttribute("label", gettext(element.getAttribute("data-i18n-label").replace(/\s+/g, " ").trim()));
    });
    document.documentElement.lang = catalog.language;
  }
  function preferredLanguage() {
    var asked = new URLSearchParams(location.search).get("lang");
    var saved = null;
    try { saved = localStorage.getItem("rightsflow-language"); } catch (e) { /* private mode */ }
    var wanted = [asked, saved].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var language = String(wanted[i] || "").toLowerCase().split(/[-_]/)[0];
      if (LANGUAGES[language]) { return language; }
    }
    return "en";
  }
  function useLanguage(language, remember) {
    return fetch("locale/" + encodeURIComponent(language) + ".json")
      .then(function (answer) { if (!answer.ok) { throw new Error(answer.status); } return answer.json(); })
      .then(function (loaded) {
        catalog = loaded;
        if (remember) { try { localStorage.setItem("rightsflow-language", language); } catch (e) { /* private mode */ } }
        $("language").value = language;
        translatePage();
        previewDue();
        if (shown) { render(shown); }
        document.documentElement.dataset.ready = language;
      })
      .catch(function () { document.documentElement.dataset.ready = catalog.language; });
  }
  Object.keys(LANGUAGES).forEach(function (language) {
    var option = document.createElement("option");
    option.value = language;
    option.lang = language;
    option.textContent = LANGUAGES[language];
    $("language").appendChild(option);
  });
  $("language").addEventListener("change", function () { useLanguage($("language").value, true); });
  function formatOwnClock(iso) { // an instant, on the reader's own clock, its zone named
    return new Date(iso).toLocaleString(catalog.language, {
      year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
  }
  // An instant, in the zone the place's people read times in (the request's reading_zone: for
  // the EU, Central European Time, not the zone whose day the law's deadline was counted in).
  function formatMoment(iso, zone) {
    var options = { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" };
    if (zone) { options.timeZone = zone; options.timeZoneName = "short"; }
    try { return new Date(iso).toLocaleString(catalog.language, options); } catch (e) {
      return new Date(iso).toLocaleString(catalog.language);
    }
  }

  // ---------------------------------------------------------------- the page's steps
  function show(id) {
    ["step-request", "step-verify", "step-status", "step-done"].forEach(function (s) { $(s).hidden = s !== id; });
  }
  function notice(text, isError) {
    var box = $("notice");
    box.textContent = text || "";
    box.hidden = !text;
    box.className = "notice" + (isError ? " error-notice" : "");
  }
  function clearErrors(form) {
    form.querySelectorAll(".error").forEach(function (e) { e.hidden = true; e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
  }
  // Tie an error to its field: the message is announced with the field and the field is marked.
  function fieldError(field, message) {
    var key = field.split(".")[0];
    var box = $(key + "-error") || $("details-error");
    var input = key === "type" ? document.querySelector('input[name="type"]') : $(key);
    if (box) { box.textContent = message; box.hidden = false; }
    if (input) { input.setAttribute("aria-invalid", "true"); }
    return input;
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function call(method, path, body, token, extraHeaders) {
    var headers = { "Content-Type": "application/json", "Accept-Language": catalog.language };
    if (token) { headers["X-Request-Token"] = token; }
    Object.keys(extraHeaders || {}).forEach(function (name) { headers[name] = extraHeaders[name]; });
    return fetch(API + path, {
      method: method, headers: headers, body: body ? JSON.stringify(body) : undefined
    }).then(function (answer) {
      return answer.json().catch(function () { return {}; }).then(function (data) {
        return { status: answer.status, data: data, retryAfter: answer.headers.get("Retry-After") };
      });
    });
  }
  function remember(requestId, token) {
    current = { request_id: requestId, status_token: token };
    try { localStorage.setItem("rightsflow-request", JSON.stringify(current)); } catch (e) { /* private mode */ }
    history.replaceState(null, "", location.pathname + "#" + encodeURIComponent(requestId));
  }

  // ---------------------------------------------------------------- step 1
  function chosenType() {
    var checked = document.querySelector('input[name="type"]:checked');
    return checked ? checked.value : null;
  }
  // Before sending: when the answer is due under the law of the chosen place, and whether a
  // code will be asked for (GET /deadlines, the public deadline calculator).
  var needsCode = true;
  function previewDue() {
    var type = chosenType();
    if (!type) { $("due-preview").textContent = ""; return; }
    var query = "?jurisdiction=" + encodeURIComponent($("jurisdiction").value) + "&type=" + encodeURIComponent(type);
    call("GET", "/deadlines" + query).then(function (answer) {
      if (answer.status !== 200) { $("due-preview").textContent = ""; return; }
      var report = answer.data;
      needsCode = report.verification !== "none";
      // The law's last moment (its last day ends in report.time_zone, which for a region may be
      // a zone nobody there would recognise: Réunion's for the EU), told on the reader's own
      // clock, with its zone named.
      var values = { due: formatOwnClock(report.due), law: gettext(report.law) };
      $("due-preview").textContent = needsCode
        ? gettext("If you send it now, we must answer by %(due)s under %(law)s.", values)
        : gettext("If you send it now, we must answer by %(due)s under %(law)s. No verification code is needed.", values);
      $("due-preview").dataset.due = report.due_local_date;
    }).catch(function () { $("due-preview").textContent = ""; });
  }
  document.querySelectorAll('input[name="type"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      var type = chosenType();
      $("corrections-field").hidden = type !== "rectification";
      $("message-field").hidden = type !== "complaint";
      $("processing-field").hidden = type !== "objection";
      previewDue();
    });
  });
  $("jurisdiction").addEventListener("change", previewDue);
  $("request-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearErrors(form);
    notice("");
    var type = chosenType();
    var body = {
      type: type, email: $("email").value.trim(), jurisdiction: $("jurisdiction").value,
      language: catalog.language
    };
    ["name", "phone", "account_number", "brand"].forEach(function (key) {
      var value = $(key).value.trim();
      if (value) { body[key] = value; }
    });
    var details = {};
    if (type === "rectification") {
      var corrections = {};
      document.querySelectorAll("[data-correction]").forEach(function (input) {
        if (input.value.trim()) { corrections[input.dataset.correction] = input.value.trim(); }
      });
      details.corrections = corrections;
    }
    if (type === "complaint") { details.message = $("message").value.trim(); }
    if (type === "objection" && $("processing").value.trim()) { details.processing = $("processing").value.trim(); }
    if (Object.keys(details).length) { body.details = details; }
    var missing = [];
    if (!type) { missing.push(fieldError("type", gettext("Choose what you would like us to do."))); }
    if (!body.email) { missing.push(fieldError("email", gettext("Enter your e-mail address."))); }
    if (missing.length) { missing[0].focus(); return; }
    var serialized = JSON.stringify(body);
    if (!pending || pending.body !== serialized) { pending = { key: newKey(), body: serialized }; }
    $("submit-request").disabled = true;
    call("POST", "/requests", body, null, { "Idempotency-Key": pending.key }).then(function (answer) {
      $("submit-request").disabled = false;
      if (answer.status === 202) {
        pending = null;
        if (answer.data.joined) {
          // The same request is already open for this address: no new request, no new e-mail.
          var kept = current && current.request_id === answer.data.request_id;
          if (kept) { showStatus(); }
          else { show("step-request"); }
          notice(gettext("A request of this kind from this address is already open, so we did not make a second one or send another e-mail. Follow it with the status token you got when you first sent it, and use the code from the e-mail we sent then."), false);
          return;
        }
        remember(answer.data.request_id, answer.data.status_token);
        var processing = type === "objection" && body.details && body.details.processing;
        if (!needsCode && !processing) { notice(gettext("Thank you: we received your request.")); showStatus(); return; }
        $("verify-request-id").textContent = answer.data.request_id;
        show("step-verify");
        $("verify-title").focus();
        return;
      }
      var first = null;
      (answer.data.fields || []).forEach(function (problem) {
        var input = fieldError(problem.field, fieldProblem(problem.field.split(".")[0], problem.problem));
        first = first || input;
      });
      var message = catalog.language === "en" && answer.data.message ? answer.data.message : null;
      notice(message || gettext("We could not send your request: please check the marked fields."), true);
      if (first) { first.focus(); }
    }).catch(function () {
      $("submit-request").disabled = false;
      notice(gettext("We could not reach our service. Your answers are kept: please try again."), true);
    });
  });

  // ---------------------------------------------------------------- step 2
  $("verify-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors(event.target);
    var code = $("code").value.trim();
    if (!code) { fieldError("code", gettext("Enter the code from the e-mail.")).focus(); return; }
    $("submit-code").disabled = true;
    call("POST", "/requests/" + encodeURIComponent(current.request_id) + "/verify", { code: code })
      .then(function (answer) {
        $("submit-code").disabled = false;
        if (answer.status === 200) {
          if (current.status_token) { notice(gettext("Thank you: your request goes ahead.")); showStatus(); return; }
          // Opened from the code e-mail alone: the status needs the link from the acknowledgment.
          notice(gettext("Thank you: your request goes ahead. Follow it with the link in the e-mail that acknowledged it."));
          show("step-done");
          return;
        }
        if (answer.status === 400) {
          var left = answer.data.attempts_left;
          var message = left > 0
            ? ngettext("Wrong code: %(count)d attempt left.", "Wrong code: %(count)d attempts left.", left)
            : gettext("Wrong code, and no attempts left: the request is closed unverified.");
          fieldError("code", message).focus();
          if (left === 0) { showStatus(); }
          return;
        }
        if (answer.status === 410) { notice(gettext("The code has expired: the request will be closed unverified."), true); return; }
        if (answer.status === 409) { notice(gettext("This request is not waiting for a code."), true); return; }
        notice(gettext("The code could not be checked. Please try again."), true);
      });
  });
  $("resend-code").addEventListener("click", function () {
    call("POST", "/requests/" + encodeURIComponent(current.request_id) + "/verify/resend")
      .then(function (answer) {
        if (answer.status === 200) { notice(gettext("We sent you a new code; the old one no longer works.")); return; }
        var seconds = Number(answer.retryAfter || 0);
        notice(seconds
          ? ngettext("No new code could be sent yet. Try again in %(count)d second.", "No new code could be sent yet. Try again in %(count)d seconds.", seconds)
          : gettext("No new code can be sent for this request."), true);
      });
  });

  // ---------------------------------------------------------------- step 3
  function render(view) {
    shown = view;
    $("status-request-id").textContent = view.request_id;
    $("status-type").textContent = rightWord(view.type);
    $("status-value").textContent = statusWord(view.status);
    $("status-value").dataset.status = view.status;
    $("status-due").textContent = formatMoment(view.due_at, view.reading_zone || view.time_zone);
    $("status-token").textContent = current.status_token;
    $("package").hidden = !view.package_available_until;
    if (view.package_available_until) {
      $("package-until").textContent = formatMoment(view.package_available_until, view.reading_zone || view.time_zone);
    }
    // Requests made from one e-mail asking for several rights share a group.
    document.querySelectorAll(".group-line").forEach(function (e) { e.hidden = !view.group_id; });
    $("status-group").textContent = view.group_id
      ? gettext("the other rights of the same e-mail (group %(group_id)s)", { group_id: view.group_id }) : "";
    var list = $("status-history");
    list.innerHTML = "";
    view.history.forEach(function (entry) {
      var item = document.createElement("li");
      item.textContent = gettext("%(status)s — %(at)s", { status: statusWord(entry.status), at: formatMoment(entry.at, view.reading_zone || view.time_zone) });
      list.appendChild(item);
    });
  }
  function refresh() {
    return call("GET", "/requests/" + encodeURIComponent(current.request_id), null, current.status_token)
      .then(function (answer) {
        if (answer.status !== 200) { notice(gettext("We found no request with that id and token."), true); return null; }
        render(answer.data);
        if (TERMINAL.indexOf(answer.data.status) >= 0 && poller) { clearInterval(poller); poller = null; }
        return answer.data;
      });
  }
  function showStatus() {
    show("step-status");
    $("status-title").focus();
    refresh();
    if (poller) { clearInterval(poller); }
    poller = setInterval(refresh, 3000);
  }
  $("refresh").addEventListener("click", refresh);
  // The package: a fresh link, valid a few minutes, asked for with the status token.
  $("download").addEventListener("click", function () {
    call("GET", "/requests/" + encodeURIComponent(current.request_id) + "/package", null,
      current.status_token, { "Accept": "application/json" })
      .then(function (answer) {
        if (answer.status === 200) { window.location.href = answer.data.download_url; return; }
        var said = catalog.language === "en" && answer.data.message ? answer.data.message : null;
        notice(said || (answer.status === 410
          ? gettext("The package was kept for the time we promised and is now deleted; make a new access request for a fresh copy.")
          : gettext("The download is not available.")), true);
        refresh();
      });
  });
  $("new-request").addEventListener("click", function () {
    if (poller) { clearInterval(poller); poller = null; }
    shown = null;
    notice("");
    show("step-request");
  });

  // ---------------------------------------------------------------- appealing a decision
  $("appeal-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearErrors(form);
    notice("");
    var body = {
      type: "appeal", email: $("appeal-email").value.trim(), language: catalog.language,
      details: { appeal_of: $("appeal-id").value.trim(), status_token: $("appeal-token").value.trim() }
    };
    var message = $("appeal-message").value.trim();
    if (message) { body.details.message = message; }
    $("submit-appeal").disabled = true;
    call("POST", "/requests", body).then(function (answer) {
      $("submit-appeal").disabled = false;
      if (answer.status === 202) {
        remember(answer.data.request_id, answer.data.status_token);
        notice(gettext("Thank you: we received your appeal and answer it in writing."));
        showStatus();
        return;
      }
      (answer.data.fields || []).forEach(function (problem) {
        var key = problem.field.split(".").pop();
        var box = { email: "appeal-email-error", status_token: "status_token-error" }[key] || "appeal_of-error";
        $(box).textContent = fieldProblem(key, problem.problem);
        $(box).hidden = false;
      });
      var said = catalog.language === "en" && answer.data.message ? answer.data.message : null;
      notice(said || gettext("We could not send your appeal: please check the marked fields."), true);
    }).catch(function () {
      $("submit-appeal").disabled = false;
      notice(gettext("We could not reach our service. Your answers are kept: please try again."), true);
    });
  });
  try {
    var appealOf = new URLSearchParams(location.search).get("appeal_of");
    if (appealOf) { $("appeal-id").value = appealOf; }
  } catch (e) { /* no query */ }

  // ---------------------------------------------------------------- coming back
  $("lookup-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors(event.target);
    var id = $("lookup-id").value.trim(), token = $("lookup-token").value.trim();
    if (!id || !token) { $("lookup-error").textContent = gettext("Enter both the request id and the status token."); $("lookup-error").hidden = false; return; }
    remember(id, token);
    showStatus();
  });
  // Links from our e-mails: ?request_id=…&token=… (the acknowledgment; `status_token` works too)
  // shows the status; ?request_id=…&step=verify (the code e-mail) opens the code step, which
  // needs only the request id. A token read from the address is moved out of it at once, so it
  // stays out of the history, bookmarks and what is shared from the address bar.
  var query = new URLSearchParams(location.search);
  var linkedId = query.get("request_id");
  var linkedToken = query.get("token") || query.get("status_token");
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem("rightsflow-request") || "null"); } catch (e) { /* private mode */ }
  if (linkedId && linkedToken) {
    remember(linkedId, linkedToken);
    showStatus();
  } else if (linkedId && query.get("step") === "verify") {
    current = { request_id: linkedId, status_token: saved && saved.request_id === linkedId ? saved.status_token : null };
    history.replaceState(null, "", location.pathname + "#" + encodeURIComponent(linkedId));
    $("verify-request-id").textContent = linkedId;
    show("step-verify");
    $("verify-title").focus();
  } else {
    var wanted = decodeURIComponent(location.hash.slice(1)) || linkedId;
    if (wanted) { $("lookup-id").value = wanted; }
    if (saved && wanted === saved.request_id) { current = saved; showStatus(); }
  }
  useLanguage(firstLanguage, false);
})();
