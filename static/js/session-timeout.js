// Warns two minutes before the session ends and lets the member stay signed in. Answers are
// saved as they change, so the warning is about staying signed in, not about losing work.

const body = document.body;
const timeout = Number(body.dataset.sessionTimeout || 0);
const warnBefore = Number(body.dataset.sessionWarning || 120);
const extendUrl = body.dataset.sessionExtendUrl;
const signInUrl = body.dataset.signInUrl;

if (timeout > warnBefore && extendUrl) {
  const dialog = document.getElementById("session-timeout");
  const countdown = dialog.querySelector("[data-countdown]");
  let warnTimer;
  let endTimer;
  let tick;

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(tick);
    warnTimer = setTimeout(warn, (timeout - warnBefore) * 1000);
    endTimer = setTimeout(() => {
      location.assign(signInUrl);
    }, timeout * 1000);
  };

  const warn = () => {
    let left = warnBefore;
    countdown.textContent = "2 minutes";
    dialog.showModal();
    tick = setInterval(() => {
      left -= 1;
      countdown.textContent = left > 60 ? "2 minutes" : left > 1 ? `${left} seconds` : "1 second";
    }, 1000);
  };

  dialog.querySelector("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(extendUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    });
    dialog.close();
    if (response.ok) {
      schedule();
    } else {
      location.assign(signInUrl);
    }
  });

  document.addEventListener("session:activity", schedule);
  schedule();
}
