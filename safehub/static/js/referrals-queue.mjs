// Keeps the MASH queue current without a reload: every 30 seconds (while the page is visible)
// it fetches the queue's JSON (same filters) and redraws the rows, so countdowns, breach flags
// and newly arrived referrals appear. Progressive enhancement: the server renders the same rows.
// Loaded as a module file with the page's CSP nonce; never inline.

const POLL_MS = 30000;

function cell(text) {
  const td = document.createElement("td");
  td.className = "govuk-table__cell";
  if (text !== undefined) td.textContent = text;
  return td;
}

function tag(text, cls) {
  const strong = document.createElement("strong");
  strong.className = `govuk-tag ${cls || ""}`.trim();
  strong.textContent = text;
  return strong;
}

export function rowFor(row) {
  const tr = document.createElement("tr");
  tr.className = "govuk-table__row";
  tr.dataset.referralId = row.id;
  const ref = cell();
  const link = document.createElement("a");
  link.className = "govuk-link";
  link.href = row.url;
  link.textContent = row.reference;
  ref.append(link);
  const rag = cell();
  rag.append(tag(row.rag_tag.text, row.rag_tag.class));
  if (row.escalated) rag.append(" ", tag("Escalated", "govuk-tag--purple"));
  const due = cell(row.due);
  due.append(document.createElement("br"));
  const countdown = document.createElement("span");
  countdown.className = "govuk-hint";
  countdown.textContent = row.countdown;
  due.append(countdown);
  if (row.breached) due.append(" ", tag("Breached", "govuk-tag--red"));
  tr.append(
    ref,
    rag,
    due,
    cell(row.received),
    cell(row.referring_agency),
    cell(row.categories),
    cell(row.status),
    cell(row.assigned_to || "Not assigned"),
  );
  return tr;
}

export async function refresh(table, fetchImpl = window.fetch.bind(window)) {
  const response = await fetchImpl(table.dataset.queueUrl, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || !type.includes("application/json")) return null;
  const data = await response.json();
  const body = table.querySelector("tbody");
  body.replaceChildren(...data.rows.map(rowFor));
  const count = document.querySelector("[data-queue-count]");
  if (count) count.textContent = String(data.rows.length);
  return data;
}

export function start(doc = document) {
  const table = doc.getElementById("referral-queue");
  if (!table || !window.fetch) return null;
  const tick = () => {
    if (!doc.hidden) refresh(table).catch(() => {});
  };
  doc.addEventListener("visibilitychange", tick);
  return window.setInterval(tick, POLL_MS);
}

if (typeof document !== "undefined") start();
