// Loaded at the top of <body>, before the content, so that components the NHS.UK frontend
// enhances (conditional radios, details) are hidden or shown before the first paint.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
