// Carries on linking a partner extract from its page: while the extract is linking, it posts to
// the extract's link URL (which links for a few seconds and answers with the progress as JSON),
// updates the progress bar and the status line, and reloads the page once every row is linked.
// Progressive enhancement: without scripts the page's "Carry on linking" button does the same,
// a few seconds a press. Loaded as a module file with the page's CSP nonce; never inline.

export function describe(progress) {
  return `Linking: ${progress.processed_rows} of ${progress.good_rows} rows so far.`;
}

export async function step(form, fetchImpl = window.fetch.bind(window)) {
  const token = form.querySelector('input[name="csrfmiddlewaretoken"]');
  const response = await fetchImpl(form.dataset.extractLinkUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
  });
  const type = response.headers.get("Content-Type") || "";
  if (!type.includes("application/json")) return null;
  const data = await response.json();
  return response.ok ? data : { status: "error", detail: data.detail };
}

export async function run(doc = document, fetchImpl = undefined) {
  const form = doc.querySelector("form[data-extract-link-url]");
  if (!form || !window.fetch) return null;
  const bar = doc.getElementById("extract-progress");
  const text = doc.getElementById("extract-progress-text");
  const status = doc.getElementById("extract-linking-status");
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  for (;;) {
    let progress;
    try {
      progress = await step(form, fetchImpl);
    } catch (error) {
      progress = null;
    }
    if (!progress || progress.status === "error") {
      // Leave the button for the user; the page says what went wrong.
      if (button) button.disabled = false;
      if (status) {
        status.textContent =
          (progress && progress.detail) || "Linking paused: the server did not answer. Carry on linking to try again.";
      }
      return progress;
    }
    if (bar) bar.value = progress.processed_rows;
    if (text) text.textContent = progress.text;
    if (status) status.textContent = describe(progress);
    if (progress.status !== "linking") {
      window.location.reload();
      return progress;
    }
  }
}

if (typeof document !== "undefined") run();
