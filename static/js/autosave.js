// Saves each answer as soon as it changes, and says so. Without this script the page's
// "Save and continue" button saves everything; with it, nothing waits for that button.
//
// If the session has ended, the answer is kept in this browser tab (sessionStorage) and
// saved when the same member signs in again and returns to the page.

const form = document.querySelector("form[data-autosave-url]");

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

  const save = async (block, data) => {
    const code = block.dataset.question;
    // Only the newest save of a question may report; an older, slower one says nothing.
    const sequence = (latest.get(block) || 0) + 1;
    latest.set(block, sequence);
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
      show(block, `Saved at ${body.saved_at}`);
      document.dispatchEvent(new CustomEvent("session:activity"));
    } else if (response.status === 401) {
      remember(code, [...data.entries()]);
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
      show(block, body.message, "problem");
    } else {
      show(block, `Not saved: ${(body.errors || ["check the answer"]).join(" ")}`, "problem");
    }
  };

  for (const block of form.querySelectorAll("[data-question]")) {
    block.addEventListener("change", () => {
      const data = fieldsOf(block);
      // "Give a figure" chosen, figure not typed yet: wait for the figure.
      if (data.get(`q-${block.dataset.question}`) === "figure" && !data.get(`n-${block.dataset.question}`)) {
        return;
      }
      save(block, data);
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
