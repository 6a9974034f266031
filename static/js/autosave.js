// Saves each answer as soon as it changes, and says so. Without this script the page's
// "Save and continue" button saves everything; with it, nothing waits for that button.
// A figure, note or source is saved as it is typed, shortly after the last key, and the
// browser asks before leaving the page while a save is waiting or has failed.
//
// If the session has ended, the answer is kept in this browser tab (sessionStorage) and
// saved when the same member signs in again and returns to the page.

import { toggleConditionalInput } from "../vendor/nhsuk-frontend/js/nhsuk-frontend.min.js";

const form = document.querySelector("form[data-autosave-url]");
const TYPING_PAUSE = 800; // milliseconds after the last key before a typed answer is saved

if (form) {
  const url = form.dataset.autosaveUrl;
  const pendingKey = `pending-answers:${form.dataset.user}:${location.pathname}`;
  const token = () => form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const note = document.querySelector(".app-autosave-note");
  if (note) note.hidden = false;

  const fieldsOf = (block) => {
    const code = block.dataset.question;
    const data = new FormData();
    data.append("question", code);
    for (const element of block.querySelectorAll("input, textarea")) {
      if (!element.name) continue;
      if (element.type === "radio" && !element.checked) continue;
      data.append(element.name, element.value);
    }
    return data;
  };

  const show = (block, message, kind) => {
    const status = block.querySelector("[data-save-status]");
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("app-save-status--problem", kind === "problem");
  };

  const remember = (code, entries) => {
    const pending = JSON.parse(sessionStorage.getItem(pendingKey) || "{}");
    pending[code] = entries;
    sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  };

  const forget = (code) => {
    const pending = JSON.parse(sessionStorage.getItem(pendingKey) || "{}");
    delete pending[code];
    sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  };

  const latest = new WeakMap();
  const typing = new Map(); // question block -> its timer, while typing pauses
  const inflight = new Set(); // saves sent and not answered yet

  // Questions with something typed or chosen that is not saved yet: leaving the page asks
  // first. A question leaves the set when its save succeeds, or when a stale save is
  // refused and the page shows the saved answer again.
  const unsaved = new Set();
  let submitting = false;
  let waited = false;
  // The page's own button saves everything typed: a save waiting for a pause in typing is
  // not needed, and one already sent is let finish first, so that the page is posted with
  // the versions it made (and is not refused as if from a stale tab).
  form.addEventListener("submit", (event) => {
    for (const timer of typing.values()) clearTimeout(timer);
    typing.clear();
    if (inflight.size && !waited) {
      event.preventDefault();
      waited = true;
      Promise.allSettled([...inflight]).then(() => form.requestSubmit(event.submitter ?? undefined));
      return;
    }
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || unsaved.size === 0) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // After a stale save is refused, the page shows the saved answer selected, so that
  // choosing the member's own answer again is a change, and saves it.
  const showSaved = (block, saved) => {
    const code = block.dataset.question;
    const figure = block.querySelector(`input[name="n-${CSS.escape(code)}"]`);
    const isFigure = figure && !["", "dk", "na"].includes(saved);
    for (const radio of block.querySelectorAll(`input[type=radio][name="q-${CSS.escape(code)}"]`)) {
      radio.checked = isFigure ? radio.value === "figure" : radio.value === saved;
      toggleConditionalInput(radio, "nhsuk-radios__conditional--hidden");
    }
    if (figure) figure.value = isFigure ? saved : "";
  };

  const retries = new WeakMap();

  // A save that fails because the service is unavailable is kept and tried again, after
  // 5, 10, 20 then every 30 seconds, until it succeeds or the page is left.
  const retryLater = (block, data) => {
    const attempt = (retries.get(block) || 0) + 1;
    retries.set(block, attempt);
    const seconds = Math.min(30, 5 * 2 ** (attempt - 1));
    setTimeout(() => {
      if (latest.get(block) === undefined) return;
      save(block, data);
    }, seconds * 1000);
    return seconds;
  };

  // What each question last saved, versions aside: leaving a field after its typing was
  // saved changes nothing, so it sends nothing (and leaving the page does not ask).
  const lastSaved = new WeakMap();
  const saving = (data) => JSON.stringify([...data.entries()].filter(([name]) => !name.startsWith("v-")));

  const save = (block, data) => {
    if (lastSaved.get(block) === saving(data)) {
      clearTimeout(typing.get(block));
      unsaved.delete(block);
      return Promise.resolve();
    }
    const sent = send(block, data);
    inflight.add(sent);
    sent.finally(() => inflight.delete(sent));
    return sent;
  };

  const send = async (block, data) => {
    const code = block.dataset.question;
    // Only the newest save of a question may report; an older, slower one says nothing.
    const sequence = (latest.get(block) || 0) + 1;
    latest.set(block, sequence);
    clearTimeout(typing.get(block));
    unsaved.add(block);
    show(block, "Saving…");
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": token(), Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      remember(code, [...data.entries()]);
      const seconds = retryLater(block, data);
      show(block, `Not saved yet: the connection failed. Trying again in ${seconds} seconds.`, "problem");
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (latest.get(block) !== sequence) return;
    if (response.status >= 500) {
      remember(code, [...data.entries()]);
      const seconds = retryLater(block, data);
      show(block, `Not saved yet: the service is unavailable. Trying again in ${seconds} seconds.`, "problem");
      return;
    }
    retries.delete(block);
    if (response.ok) {
      const version = block.querySelector(`input[name="v-${code}"]`);
      if (version) version.value = body.version;
      forget(code);
      lastSaved.set(block, saving(data));
      unsaved.delete(block);
      show(block, `Saved at ${body.saved_at}`);
      document.dispatchEvent(new CustomEvent("session:activity"));
    } else if (response.status === 401) {
      // Kept in this tab until the member signs in again: following the link is safe.
      remember(code, [...data.entries()]);
      unsaved.delete(block);
      const signIn = form.dataset.signInUrl;
      show(block, body.message || "You have been signed out.", "problem");
      const status = block.querySelector("[data-save-status]");
      const link = document.createElement("a");
      link.href = signIn;
      link.textContent = " Sign in again";
      status.append(link);
    } else if (response.status === 409 && body.status === "conflict") {
      const version = block.querySelector(`input[name="v-${code}"]`);
      if (version) version.value = body.version;
      showSaved(block, body.saved ?? "");
      lastSaved.delete(block);
      unsaved.delete(block);
      show(block, body.message, "problem");
    } else {
      show(block, `Not saved: ${(body.errors || ["check the answer"]).join(" ")}`, "problem");
    }
  };

  // What is saved of a question: nothing while "Give a figure" is chosen without a figure.
  const saveable = (block) => {
    const data = fieldsOf(block);
    const code = block.dataset.question;
    if (data.get(`q-${code}`) === "figure" && !data.get(`n-${code}`)) return null;
    return data;
  };

  for (const block of form.querySelectorAll("[data-question]")) {
    block.addEventListener("change", () => {
      clearTimeout(typing.get(block));
      const data = saveable(block);
      if (data) save(block, data);
    });
    // A figure, note or source is saved once typing pauses, without waiting for the
    // member to leave the field.
    block.addEventListener("input", (event) => {
      const field = event.target;
      if (!(field instanceof HTMLTextAreaElement || (field instanceof HTMLInputElement && field.type === "text"))) {
        return;
      }
      unsaved.add(block);
      clearTimeout(typing.get(block));
      typing.set(
        block,
        setTimeout(() => {
          const data = saveable(block);
          if (!data) return;
          // A figure without its source yet: wait for the source, as the page says.
          const code = block.dataset.question;
          const source = block.querySelector(`input[type=text][name="note-${CSS.escape(code)}"]`);
          if (source && !source.value.trim() && !["dk", "na"].includes(data.get(`q-${code}`))) {
            show(block, "Not saved yet: give the figure's source and it will be saved.", "problem");
            return;
          }
          save(block, data);
        }, TYPING_PAUSE),
      );
    });
    // Typing a figure chooses "Give a figure".
    const figure = block.querySelector('input[name^="n-"]');
    const choice = block.querySelector('input[type=radio][value="figure"]');
    if (figure && choice) {
      figure.addEventListener("input", () => {
        choice.checked = true;
      });
    }
  }

  // An answer chosen or typed before this script ran (on a slow connection the page can
  // be used before its scripts arrive) is saved now, as if it had been chosen just now.
  const changedBeforeLoad = (block) =>
    [...block.querySelectorAll("input, textarea")].some((field) =>
      field.type === "radio" || field.type === "checkbox"
        ? field.checked !== field.defaultChecked
        : field.type !== "hidden" && field.value !== field.defaultValue,
    );
  for (const block of form.querySelectorAll("[data-question]")) {
    if (!changedBeforeLoad(block)) continue;
    const data = saveable(block);
    if (data) save(block, data);
  }

  // Answers kept while signed out are saved now, if this is the same member's page.
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) || "{}");
  for (const [code, entries] of Object.entries(pending)) {
    const block = form.querySelector(`[data-question="${CSS.escape(code)}"]`);
    if (!block) continue;
    const data = new FormData();
    for (const [name, value] of entries) {
      const field = block.querySelector(`[name="${CSS.escape(name)}"]`);
      if (name.startsWith("v-") && field) {
        data.append(name, field.value);
        continue;
      }
      data.append(name, value);
      if (field && field.type === "radio") {
        const option = block.querySelector(`[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`);
        if (option) option.checked = true;
      } else if (field) {
        field.value = value;
      }
    }
    save(block, data);
  }
}
