/* Review decisions (accept, correct, merge, unmerge) posted with the pasted bearer token. */
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
