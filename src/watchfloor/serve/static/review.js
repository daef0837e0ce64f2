/* Review decisions (accept, correct, merge, unmerge; confirm, reject or merge a provisional
   actor) posted with the pasted bearer token. API data is written with textContent only. */
"use strict";

(function () {
  const form = document.getElementById("decision-form");
  if (!form) return;
  const action = document.getElementById("decision-action");
  const result = document.getElementById("decision-result");

  function showFields() {
    for (const labelEl of form.querySelectorAll("label[data-for]")) {
      labelEl.hidden = !labelEl.dataset.for.split(" ").includes(action.value);
    }
  }

  function number(name) {
    const value = Number.parseInt(form.elements[name].value, 10);
    if (!Number.isFinite(value) || value < 1) throw new Error(`${name} must be a positive number`);
    return value;
  }

  function parseValue(text) {
    try {
      return JSON.parse(text);
    } catch (_e) {
      return text;
    }
  }

  function payload() {
    const note = form.elements.note.value.trim() || null;
    const kind = action.value;
    if (kind === "accept") return { action: kind, event_id: number("event_id"), field: form.elements.field.value, note };
    if (kind === "correct") {
      return { action: kind, event_id: number("event_id"), field: form.elements.field.value, value: parseValue(form.elements.value.value), note };
    }
    if (kind === "merge") return { action: kind, keep_id: number("event_id"), other_id: number("other_id"), note };
    return { action: kind, event_id: number("event_id"), report_id: number("report_id"), note };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.className = "muted";
    try {
      const done = await WF.postJSON("/api/review", payload());
      result.textContent = `Recorded: ${done.action} on event ${done.event_id} by ${done.by}` +
        (done.new_event_id ? ` (new event ${done.new_event_id})` : "");
      result.className = "ok";
    } catch (error) {
      result.textContent = `Not recorded: ${error.message}`;
      result.className = "error-message";
    }
  });

  for (const button of document.querySelectorAll("button.pick")) {
    button.addEventListener("click", () => {
      document.getElementById("decision-event").value = button.dataset.event;
      form.scrollIntoView({ block: "start" });
      form.elements.note.focus();
    });
  }
  action.addEventListener("change", showFields);
  showFields();
})();

(function () {
  const form = document.getElementById("actor-form");
  const table = document.getElementById("provisional");
  if (!form || !table) return;
  const action = document.getElementById("actor-action");
  const result = document.getElementById("actor-result");
  const body = table.querySelector("tbody");

  function showFields() {
    for (const labelEl of form.querySelectorAll("label[data-for]")) {
      labelEl.hidden = !labelEl.dataset.for.split(" ").includes(action.value);
    }
  }

  function pick(id) {
    form.elements.provisional_id.value = id;
    form.scrollIntoView({ block: "start" });
    form.elements.note.focus();
  }

  function row(actor) {
    const button = WF.el("button", { type: "button", class: "pick-actor", text: "Review" });
    button.addEventListener("click", () => pick(actor.provisional_id));
    const source = actor.url
      ? WF.el("a", { href: actor.url, rel: "noopener noreferrer", text: actor.source })
      : actor.source;
    return WF.el(
      "tr",
      { "data-id": actor.provisional_id },
      WF.el("td", { text: actor.provisional_id }),
      WF.el("td", { text: actor.name }),
      WF.el("td", { text: actor.first_seen || "undated" }),
      WF.el("td", { text: actor.evidence || "" }),
      WF.el("td", {}, source),
      WF.el("td", {}, button),
    );
  }

  async function load() {
    try {
      const data = await WF.getJSON("/api/review/actors");
      const rows = data.items.map(row);
      if (!rows.length) rows.push(WF.el("tr", {}, WF.el("td", { colspan: 6, text: "No group awaits review." })));
      body.replaceChildren(...rows);
    } catch (error) {
      body.replaceChildren(WF.el("tr", {}, WF.el("td", { colspan: 6, class: "error-message", text: `Cannot list groups: ${error.message}` })));
    }
  }

  function payload() {
    const value = (name) => form.elements[name].value.trim() || null;
    const id = value("provisional_id");
    if (!id) throw new Error("pick a provisional actor first");
    const out = { action: action.value, provisional_id: id, note: value("note") };
    if (action.value === "confirm_actor" && value("parent_id")) out.parent_id = value("parent_id");
    if (action.value === "merge_actor") {
      if (!value("actor_id")) throw new Error("name the known actor to merge into");
      out.actor_id = value("actor_id");
    }
    return out;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.className = "muted";
    try {
      const done = await WF.postJSON("/api/review", payload());
      const into = done.actor_id ? ` into ${done.actor_id}` : "";
      result.textContent = `Recorded: ${done.name} ${done.decision}${into} by ${done.by}`;
      result.className = "ok";
      await load();
    } catch (error) {
      result.textContent = `Not recorded: ${error.message}`;
      result.className = "error-message";
    }
  });

  action.addEventListener("change", showFields);
  showFields();
  load();
})();
