// Comfort for the staff forms. Every form works without this file: the preview button, the
// Markdown snippets to copy and the server's own checks do the same jobs more slowly.
(function () {
  "use strict";

  // Buttons that take effect at once ask once more. A yes to a button with
  // data-confirmed-value sends that value instead of its own, which (without this script)
  // asks the server for its confirmation page.
  document.querySelectorAll("button[data-confirm]").forEach(function (b) {
    b.addEventListener("click", function (e) {
      if (!window.confirm(b.getAttribute("data-confirm"))) {
        e.preventDefault();
      } else if (b.hasAttribute("data-confirmed-value")) {
        b.value = b.getAttribute("data-confirmed-value");
      }
    });
  });

  // A copy button beside each Markdown snippet outside the article form.
  if (navigator.clipboard) {
    document.querySelectorAll("#md-snippet").forEach(function (code) {
      var b = button("Copy", "secondary small");
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(code.textContent).then(function () { b.textContent = "Copied"; });
      });
      code.parentNode.insertAdjacentElement("afterend", b);
    });
  }

  // An image over the upload limit is refused at once, before minutes of uploading it.
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    input.addEventListener("change", function () {
      var f = input.files && input.files[0];
      var msg = f && f.size > max ? "The image is larger than " + input.getAttribute("data-max-size") +
        "; choose a smaller file." : "";
      input.setCustomValidity(msg);
      input.setAttribute("aria-invalid", msg ? "true" : "false");
      var err = document.getElementById("file-size-error");
      if (!err) {
        err = document.createElement("p");
        err.id = "file-size-error";
        err.className = "field-error";
        err.setAttribute("role", "alert");
        input.parentNode.appendChild(err);
      }
      err.textContent = msg;
      err.hidden = !msg;
    });
    input.form.addEventListener("submit", function (e) {
      if (!input.checkValidity()) { e.preventDefault(); input.focus(); }
    });
  });

  var form = document.getElementById("article-form");
  var body = document.getElementById("body_source");
  if (!form || !body) { return; }
  var token = form.querySelector("input[name=_csrf]").value;

  function button(text, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    return b;
  }

  // Live preview: the server renders the Markdown with the code of the public page, and the
  // text takes the public page's styles (article-body), so long links and tables fit the same.
  // It is a region to read when wanted, not a live one: screen readers would read the whole
  // article again after every pause in typing. A short status says it was updated instead.
  // Wide screens show it beside the text (CSS), narrower ones below it.
  var preview = document.createElement("div");
  preview.className = "preview live-preview is-empty";
  preview.setAttribute("role", "region");
  preview.setAttribute("aria-labelledby", "live-preview-h");
  preview.tabIndex = 0; // it scrolls on its own beside the text: reachable by keyboard
  var head = document.createElement("div");
  head.className = "live-preview-head";
  var heading = document.createElement("h2");
  heading.id = "live-preview-h";
  heading.textContent = "Live preview";
  var unsaved = document.createElement("span");
  unsaved.className = "hint";
  unsaved.textContent = "follows your typing, not saved";
  var status = document.createElement("p");
  status.className = "hint live-preview-status";
  status.setAttribute("role", "status");
  head.appendChild(heading);
  head.appendChild(unsaved);
  head.appendChild(status);
  var placeholder = document.createElement("p");
  placeholder.className = "hint live-preview-empty";
  placeholder.textContent = "The text appears here as readers will see it, while you type.";
  var previewBody = document.createElement("div");
  previewBody.className = "article-body";
  preview.appendChild(head);
  preview.appendChild(placeholder);
  preview.appendChild(previewBody);
  var column = form.querySelector(".editor-main") || body.parentNode;
  column.insertAdjacentElement("afterend", preview);
  var typed = false; // the first preview, as the page opens, is not news
  function updated(msg) {
    if (!typed) { return; }
    // Emptied first, so the same words are announced again.
    status.textContent = "";
    setTimeout(function () { status.textContent = msg; }, 50);
  }
  // After pressing Preview the page already shows the server's preview of this very text, so
  // the live one waits until the text is edited; the server's is then marked as outdated.
  var served = document.querySelector("section.preview");
  var timer = null, sent = served ? body.value : null, failures = 0;
  function renderPreview() {
    var text = body.value;
    if (text === sent) { return; }
    sent = text;
    if (text.trim() === "") {
      previewBody.textContent = "";
      preview.classList.add("is-empty");
      return;
    }
    fetch("/editor/preview", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ body: text })
    }).then(function (r) {
      if (!r.ok) { throw new Error("preview " + r.status); }
      return r.text();
    }).then(function (html) {
      if (text !== body.value) { return; } // a newer request is on its way
      failures = 0;
      previewBody.innerHTML = html; // sanitized by the server, like the public page
      preview.classList.remove("is-empty");
      updated("Preview updated");
      outdated();
    }).catch(function () {
      // A request lost on the way is tried again a few times; a refusal that lasts (the
      // session ended) is left to the form's own buttons.
      sent = null;
      if (++failures <= 3) {
        clearTimeout(timer);
        timer = setTimeout(renderPreview, 1000 * failures);
      }
    });
  }
  function outdated() {
    var note = served && document.getElementById("preview-note");
    if (!note || served.classList.contains("is-outdated")) { return; }
    served.classList.add("is-outdated");
    note.textContent = "The text has changed since you pressed Preview. The live preview follows your changes.";
  }
  body.addEventListener("input", function () {
    typed = true;
    clearTimeout(timer);
    timer = setTimeout(renderPreview, 600);
  });
  renderPreview();

  // Autosave: the text is kept in this browser while typing, so a crash or a closed tab does
  // not lose it. It is offered back when the form opens with different text.
  var key = "campusnews:article:" + form.getAttribute("data-article");
  var names = ["title", "slug", "summary", "body_source", "tags", "source", "author", "photographer", "editor"];
  function values() {
    var v = {};
    names.forEach(function (n) { var el = form.elements[n]; if (el) { v[n] = el.value; } });
    return v;
  }
  function same(a, b) {
    return names.every(function (n) { return (a[n] || "") === (b[n] || ""); });
  }
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  if (store) {
    var kept = null;
    try { kept = JSON.parse(store.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && kept.values && !same(kept.values, values())) {
      offerRestore(kept);
    } else if (kept) {
      store.removeItem(key);
    }
    var saveTimer = null;
    form.addEventListener("input", function () {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(function () {
        try { store.setItem(key, JSON.stringify({ at: new Date().toISOString(), values: values() })); } catch (e) { /* full or refused */ }
      }, 1000);
    });
    form.addEventListener("submit", function () {
      clearTimeout(saveTimer);
      store.removeItem(key);
    });
  }

  function offerRestore(kept) {
    var banner = document.createElement("div");
    banner.className = "flash flash-info restore-banner";
    banner.setAttribute("role", "status");
    var when = new Date(kept.at);
    var msg = document.createElement("p");
    msg.textContent = "This browser kept text you had not saved" +
      (isNaN(when) ? "" : " (" + when.toLocaleString() + ")") + ".";
    var restore = button("Restore unsaved text", "small");
    var discard = button("Discard it", "secondary small");
    restore.addEventListener("click", function () {
      names.forEach(function (n) {
        var el = form.elements[n];
        if (el && typeof kept.values[n] === "string") { el.value = kept.values[n]; }
      });
      banner.remove();
      renderPreview();
    });
    discard.addEventListener("click", function () {
      store.removeItem(key);
      banner.remove();
    });
    banner.appendChild(msg);
    banner.appendChild(restore);
    banner.appendChild(document.createTextNode(" "));
    banner.appendChild(discard);
    form.parentNode.insertBefore(banner, form);
  }

  // Insert an image's Markdown where the cursor is in the text.
  document.querySelectorAll(".image-picker .md-snippet").forEach(function (code) {
    var b = button("Insert in text", "secondary small");
    b.addEventListener("click", function () {
      var md = "\n\n" + code.textContent + "\n\n";
      var start = body.selectionStart, end = body.selectionEnd;
      if (typeof body.setRangeText === "function") {
        body.setRangeText(md, start, end, "end");
      } else {
        body.value = body.value.slice(0, start) + md + body.value.slice(end);
      }
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
    code.parentNode.appendChild(b);
  });
})();
