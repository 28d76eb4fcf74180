// The GDPR page: submit a request, prove it is you, follow it. No framework, no build step.
(function () {
  "use strict";
  var API = (document.querySelector('meta[name="rightsflow-api"]') || {}).content || "";
  var STATUS_WORDS = {
    received: "Received", pending_verification: "Waiting for your verification code",
    in_progress: "In progress", awaiting_brand: "Waiting for the Brand that controls your data",
    needs_attention: "Being looked at by our privacy team", completed: "Completed",
    declined: "Declined", unverified: "Closed: not verified"
  };
  var TERMINAL = ["completed", "declined", "unverified"];
  var current = null; // {request_id, status_token}
  var poller = null;
  // One Idempotency-Key per form submission: trying the same answers again (after a network
  // failure, say) reuses it, so the API answers the first receipt and sends nothing twice.
  var pending = null; // {key, body}

  function $(id) { return document.getElementById(id); }
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
    var headers = { "Content-Type": "application/json" };
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
      var due = new Date(report.due).toLocaleString(undefined, {
        year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      });
      $("due-preview").textContent = "If you send it now, we must answer by " + due +
        " under " + report.law + "." +
        (needsCode ? "" : " No verification code is needed.");
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
    var body = { type: type, email: $("email").value.trim(), jurisdiction: $("jurisdiction").value };
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
    if (!type) { missing.push(fieldError("type", "Choose what you would like us to do.")); }
    if (!body.email) { missing.push(fieldError("email", "Enter your e-mail address.")); }
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
          notice("A request of this kind from this address is already open, so we did not make " +
            "a second one or send another e-mail. Follow it with the status token you got when " +
            "you first sent it, and use the code from the e-mail we sent then.", false);
          return;
        }
        remember(answer.data.request_id, answer.data.status_token);
        var processing = type === "objection" && body.details && body.details.processing;
        if (!needsCode && !processing) { notice("Thank you: we received your request."); showStatus(); return; }
        $("verify-request-id").textContent = answer.data.request_id;
        show("step-verify");
        $("verify-title").focus();
        return;
      }
      var first = null;
      (answer.data.fields || []).forEach(function (problem) {
        var input = fieldError(problem.field, problem.problem);
        first = first || input;
      });
      notice(answer.data.message || "We could not send your request. Please try again.", true);
      if (first) { first.focus(); }
    }).catch(function () {
      $("submit-request").disabled = false;
      notice("We could not reach our service. Your answers are kept: please try again.", true);
    });
  });

  // ---------------------------------------------------------------- step 2
  $("verify-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors(event.target);
    var code = $("code").value.trim();
    if (!code) { fieldError("code", "Enter the code from the e-mail.").focus(); return; }
    $("submit-code").disabled = true;
    call("POST", "/requests/" + encodeURIComponent(current.request_id) + "/verify", { code: code })
      .then(function (answer) {
        $("submit-code").disabled = false;
        if (answer.status === 200) {
          if (current.status_token) { notice("Thank you: your request goes ahead."); showStatus(); return; }
          // Opened from the code e-mail alone: the status needs the link from the acknowledgment.
          notice("Thank you: your request goes ahead. Follow it with the link in the e-mail that acknowledged it.");
          show("step-done");
          return;
        }
        if (answer.status === 400) {
          fieldError("code", answer.data.message).focus();
          if (answer.data.attempts_left === 0) { showStatus(); }
          return;
        }
        notice(answer.data.message || "The code could not be checked.", true);
      });
  });
  $("resend-code").addEventListener("click", function () {
    call("POST", "/requests/" + encodeURIComponent(current.request_id) + "/verify/resend")
      .then(function (answer) {
        if (answer.status === 200) { notice("We sent you a new code; the old one no longer works."); return; }
        var wait = answer.retryAfter ? " Try again in " + answer.retryAfter + " seconds." : "";
        notice((answer.data.message || "No new code could be sent.") + wait, true);
      });
  });

  // ---------------------------------------------------------------- step 3
  function render(view) {
    $("status-request-id").textContent = view.request_id;
    $("status-type").textContent = view.type.replace(/_/g, " ");
    $("status-value").textContent = STATUS_WORDS[view.status] || view.status;
    $("status-value").dataset.status = view.status;
    $("status-due").textContent = new Date(view.due_at).toLocaleString();
    $("status-token").textContent = current.status_token;
    $("package").hidden = !view.package_available_until;
    if (view.package_available_until) {
      $("package-until").textContent = new Date(view.package_available_until).toLocaleString();
    }
    // Requests made from one e-mail asking for several rights share a group.
    document.querySelectorAll(".group-line").forEach(function (e) { e.hidden = !view.group_id; });
    $("status-group").textContent = view.group_id ? "the other rights of the same e-mail (group " + view.group_id + ")" : "";
    var list = $("status-history");
    list.innerHTML = "";
    view.history.forEach(function (entry) {
      var item = document.createElement("li");
      item.textContent = (STATUS_WORDS[entry.status] || entry.status) + " — " + new Date(entry.at).toLocaleString();
      list.appendChild(item);
    });
  }
  function refresh() {
    return call("GET", "/requests/" + encodeURIComponent(current.request_id), null, current.status_token)
      .then(function (answer) {
        if (answer.status !== 200) { notice("We found no request with that id and token.", true); return null; }
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
        notice(answer.data.message || "The download is not available.", true);
        refresh();
      });
  });
  $("new-request").addEventListener("click", function () {
    if (poller) { clearInterval(poller); poller = null; }
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
      type: "appeal", email: $("appeal-email").value.trim(),
      details: { appeal_of: $("appeal-id").value.trim(), status_token: $("appeal-token").value.trim() }
    };
    var message = $("appeal-message").value.trim();
    if (message) { body.details.message = message; }
    $("submit-appeal").disabled = true;
    call("POST", "/requests", body).then(function (answer) {
      $("submit-appeal").disabled = false;
      if (answer.status === 202) {
        remember(answer.data.request_id, answer.data.status_token);
        notice("Thank you: we received your appeal and answer it in writing.");
        showStatus();
        return;
      }
      (answer.data.fields || []).forEach(function (problem) {
        var key = problem.field.split(".").pop();
        var box = { email: "appeal-email-error", status_token: "status_token-error" }[key] || "appeal_of-error";
        $(box).textContent = problem.problem;
        $(box).hidden = false;
      });
      notice(answer.data.message || "We could not send your appeal. Please try again.", true);
    }).catch(function () {
      $("submit-appeal").disabled = false;
      notice("We could not reach our service. Your answers are kept: please try again.", true);
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
    if (!id || !token) { $("lookup-error").textContent = "Enter both the request id and the status token."; $("lookup-error").hidden = false; return; }
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
})();
